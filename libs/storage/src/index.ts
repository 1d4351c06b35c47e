export { createHomeDirectory } from './local/home-directory';
export { LocalFileSystem, type LocalFileSystemOptions } from './local/local-file-system';
export { removeStaleUploads } from './local/stale-uploads';
export { MemoryFileSystem, type MemoryFileSystemOptions } from './memory';
