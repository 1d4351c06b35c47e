// The in-memory FileSystem is defined beside the port it implements, in the
// engine (whose own tests need it and which may import no other lib); storage
// offers it with the local one so callers pick a FileSystem from one place.
export { MemoryFileSystem, type MemoryFileSystemOptions } from '@wharf/ftp-protocol';
