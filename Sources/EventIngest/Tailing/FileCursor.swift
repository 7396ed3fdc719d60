/// Where a log reader stands in a file: saved with the events of each batch, in the same transaction.
///
/// A file is recognised by `(device, inode)` **and** `fingerprint`, a hash of
/// its first `fingerprintLength` (up to 4 KiB) bytes: the inode tells a rename
/// apart, the fingerprint tells a truncation or a new file on a reused inode apart,
/// and lets a rotated copy (`copytruncate`) or a compressed `.gz` of the file be
/// found again by content.
public struct FileCursor: Sendable, Hashable, Codable {
    public var device: UInt64
    public var inode: UInt64
    /// Byte offset just after the last complete line handed out (in the
    /// decompressed stream for `.gz` files). Reading resumes here.
    public var offset: Int64
    /// FNV-1a 64 of the first `fingerprintLength` bytes, as 16 hex digits.
    public var fingerprint: String
    /// How many bytes the fingerprint covers (less than 4096 only while the file is smaller).
    public var fingerprintLength: Int
    /// The file's size when the cursor was taken (informational).
    public var size: Int64
    /// The file the offset refers to: the live path, or a rotated sibling being drained.
    public var path: String
    /// Whether `path` is a gzip file (offsets count decompressed bytes).
    public var compressed: Bool

    public init(
        device: UInt64, inode: UInt64, offset: Int64, fingerprint: String, fingerprintLength: Int, size: Int64,
        path: String, compressed: Bool = false
    ) {
        self.device = device
        self.inode = inode
        self.offset = offset
        self.fingerprint = fingerprint
        self.fingerprintLength = fingerprintLength
        self.size = size
        self.path = path
        self.compressed = compressed
    }
}

/// The content hash of a file's first bytes.
public struct FileFingerprint: Sendable, Hashable {
    /// How many leading bytes a fingerprint covers at most.
    public static let maxLength = 4096

    public var hash: UInt64
    public var length: Int

    /// FNV-1a 64 of `bytes`.
    public init(_ bytes: UnsafeRawBufferPointer) {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            h ^= UInt64(byte)
            h = h &* 0x0000_0100_0000_01b3
        }
        hash = h
        length = bytes.count
    }

    init(hash: UInt64, length: Int) {
        self.hash = hash
        self.length = length
    }

    /// 16 lower-case hex digits.
    public var hex: String {
        let digits = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
