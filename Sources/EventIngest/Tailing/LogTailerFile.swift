import CZlib

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Why a log file could not be read.
public struct LogTailerError: Error, Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var operation: String
    public var errno: Int32

    public var description: String {
        "\(operation) \(path): \(String(cString: strerror(errno)))"
    }
}

/// The identity of a file on disk, by `stat(2)`.
struct FileIdentity: Hashable {
    var device: UInt64
    var inode: UInt64
    var size: Int64
    /// Modification time in nanoseconds since the epoch.
    var mtime: Int64

    init(_ st: stat) {
        device = UInt64(st.st_dev)
        inode = UInt64(st.st_ino)
        size = Int64(st.st_size)
        mtime = Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec)
    }

    /// `stat(path)` of a regular file, or nil (missing, unreadable, not a regular file).
    static func of(path: String) -> FileIdentity? {
        var st = stat()
        guard stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        return FileIdentity(st)
    }
}

/// One open log file: plain (`read(2)` on the descriptor) or gzip (zlib), read sequentially.
///
/// The descriptor stays open while the file is read, so a rename, a later
/// compression or an unlink of the path does not stop the draining of it.
final class LogTailerFile {
    let path: String
    let identity: FileIdentity
    let compressed: Bool
    private let fd: Int32
    private var gz: gzFile?
    /// Bytes consumed from the (decompressed) stream so far.
    private(set) var position: Int64 = 0

    /// Opens `path`; a `.gz` name or gzip magic bytes mean gzip.
    init(path: String) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw LogTailerError(path: path, operation: "open", errno: errno) }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            let code = errno
            close(fd)
            throw LogTailerError(path: path, operation: "fstat", errno: code)
        }
        self.path = path
        self.fd = fd
        identity = FileIdentity(st)
        var magic: (UInt8, UInt8) = (0, 0)
        let magicRead = withUnsafeMutableBytes(of: &magic) { pread(fd, $0.baseAddress, 2, 0) }
        compressed = path.hasSuffix(".gz") || (magicRead == 2 && magic == (0x1f, 0x8b))
        if compressed {
            let copy = dup(fd)
            guard copy >= 0, let handle = gzdopen(copy, "rb") else {
                let code = errno
                if copy >= 0 { close(copy) }
                close(fd)
                throw LogTailerError(path: path, operation: "gzdopen", errno: code)
            }
            gz = handle
            gzbuffer(handle, 256 * 1024)
        }
    }

    deinit {
        if let gz { gzclose(gz) }
        close(fd)
    }

    /// Reads the next bytes into `buffer`; 0 at (current) end of file.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        let n: Int
        if let gz {
            let got = gzread(gz, base, UInt32(min(buffer.count, Int(Int32.max))))
            guard got >= 0 else { throw LogTailerError(path: path, operation: "gzread", errno: EIO) }
            n = Int(got)
        } else {
            var got: Int
            repeat { got = systemRead(fd, base, buffer.count) } while got < 0 && errno == EINTR
            guard got >= 0 else { throw LogTailerError(path: path, operation: "read", errno: errno) }
            n = got
        }
        position += Int64(n)
        return n
    }

    /// Moves the read position to `offset` (decompressing and discarding for gzip). False if the file is shorter.
    func seek(to offset: Int64) throws -> Bool {
        if gz == nil {
            guard lseek(fd, off_t(offset), SEEK_SET) >= 0 else { throw LogTailerError(path: path, operation: "lseek", errno: errno) }
            position = offset
            return currentSize() >= offset
        }
        var scratch = [UInt8](repeating: 0, count: 64 * 1024)
        while position < offset {
            let want = Int(min(Int64(scratch.count), offset - position))
            let n = try scratch.withUnsafeMutableBytes { try read(into: UnsafeMutableRawBufferPointer(rebasing: $0[0..<want])) }
            if n == 0 { return false }
        }
        return true
    }

    /// The file's current size on disk (for gzip: the compressed size).
    func currentSize() -> Int64 {
        var st = stat()
        guard fstat(fd, &st) == 0 else { return identity.size }
        return Int64(st.st_size)
    }

    /// The fingerprint of the first `length` (decompressed) bytes, or nil when the file has fewer.
    func fingerprint(length: Int = FileFingerprint.maxLength, exact: Bool = false) -> FileFingerprint? {
        var head = [UInt8](repeating: 0, count: length)
        let got: Int = head.withUnsafeMutableBytes { buffer in
            guard let base = buffer.baseAddress, length > 0 else { return 0 }
            if gz != nil {
                guard let separate = gzopen(path, "rb") else { return -1 }
                defer { gzclose(separate) }
                var total = 0
                while total < length {
                    let n = gzread(separate, base + total, UInt32(length - total))
                    if n <= 0 { break }
                    total += Int(n)
                }
                return total
            }
            var total = 0
            while total < length {
                let n = pread(fd, base + total, length - total, off_t(total))
                if n <= 0 { break }
                total += n
            }
            return total
        }
        guard got >= 0, !exact || got == length else { return nil }
        return head.withUnsafeBytes { FileFingerprint(UnsafeRawBufferPointer(rebasing: $0[0..<got])) }
    }

    /// Whether this file starts with the bytes `cursor` fingerprinted.
    func matches(_ cursor: FileCursor) -> Bool {
        guard let fp = fingerprint(length: cursor.fingerprintLength, exact: true) else { return false }
        return fp.hex == cursor.fingerprint
    }
}

/// `read(2)` (the name is taken by `LogTailerFile.read(into:)` inside the class).
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
        return Glibc.read(fd, buffer, count)
    #else
        return Darwin.read(fd, buffer, count)
    #endif
}
