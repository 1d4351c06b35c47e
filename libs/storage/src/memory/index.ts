export { MemoryFileSystem, type MemoryFileSystemOptions } from './memory-file-system';
