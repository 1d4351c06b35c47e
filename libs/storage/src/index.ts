export { createHomeDirectory } from './local/home-directory';
export { LocalFileSystem, type LocalFileSystemOptions } from './local/local-file-system';
export { type HomeUsage, removeStaleUploads, scanHomes } from './local/tree-walk';
export { MemoryFileSystem, type MemoryFileSystemOptions } from './memory';
