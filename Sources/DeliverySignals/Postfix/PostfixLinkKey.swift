#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A queue id as the correlator meets it in a line: the host, the id's bytes (borrowed from the
/// line, valid only during the call it is passed to) and a hash of both, so that in-memory link
/// stores find the link without making a String of the id on every line.
public struct PostfixQueueRef {
    /// The host field of the line.
    public let host: String
    let key: PostfixLinkKey
    private let bytes: UnsafePointer<UInt8>
    private let count: Int

    /// - Parameter hostHash: `PostfixLinkKey.hostHash(host)`, computed once per host by the caller.
    init(host: String, hostHash: UInt64, bytes: UnsafePointer<UInt8>, count: Int) {
        self.host = host
        self.bytes = bytes
        self.count = count
        key = PostfixLinkKey(host: host, hostHash: hostHash, queueId: UnsafeBufferPointer(start: bytes, count: count))
    }

    /// The queue id as text (for stores keyed by strings, and for new links).
    public var queueId: String { String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self) }
}

/// The in-memory key of a queue id's link: fixed-size (the id's bytes inline, the host string
/// shared between lines), hashed once from the bytes, so a lookup neither builds a
/// `host + separator + queueId` string nor hashes text.
///
/// Equal hashes are not enough for equality: `==` compares the whole id and host, so two queue
/// ids whose hashes collide stay two links.
struct PostfixLinkKey: Hashable {
    /// Ids up to this many bytes are kept inline (Postfix ids have 10 to 17); longer text also in `overflow`.
    static let inlineBytes = 24

    let hash: UInt64
    let length: Int
    let word0: UInt64
    let word1: UInt64
    let word2: UInt64
    /// The whole id when it is longer than `inlineBytes` (only broken or hostile input).
    let overflow: String?
    let host: String

    init(host: String, hostHash: UInt64, queueId: UnsafeBufferPointer<UInt8>) {
        var words: (UInt64, UInt64, UInt64) = (0, 0, 0)
        let inline = min(queueId.count, PostfixLinkKey.inlineBytes)
        if let base = queueId.baseAddress, inline > 0 {
            withUnsafeMutableBytes(of: &words) { $0.baseAddress?.copyMemory(from: base, byteCount: inline) }
        }
        var overflow: String?
        var h = hostHash ^ UInt64(queueId.count) &* 0x9E37_79B9_7F4A_7C15
        h = PostfixLinkKey.mix(h ^ words.0)
        h = PostfixLinkKey.mix(h ^ words.1)
        h = PostfixLinkKey.mix(h ^ words.2)
        if queueId.count > PostfixLinkKey.inlineBytes {
            overflow = String(decoding: queueId, as: UTF8.self)
            for byte in queueId[PostfixLinkKey.inlineBytes...] { h = PostfixLinkKey.mix(h ^ UInt64(byte)) }
        }
        self.init(hash: h, length: queueId.count, words: words, overflow: overflow, host: host)
    }

    /// The key of a stored link (or of a string lookup).
    init(host: String, queueId: String) {
        var id = queueId
        self = id.withUTF8 { PostfixLinkKey(host: host, hostHash: PostfixLinkKey.hostHash(host), queueId: $0) }
    }

    /// A key with a given hash: lets tests force two different ids onto one hash.
    init(hash: UInt64, length: Int, words: (UInt64, UInt64, UInt64), overflow: String?, host: String) {
        self.hash = hash
        self.length = length
        word0 = words.0
        word1 = words.1
        word2 = words.2
        self.overflow = overflow
        self.host = host
    }

    func hash(into hasher: inout Hasher) { hasher.combine(hash) }

    static func == (a: PostfixLinkKey, b: PostfixLinkKey) -> Bool {
        a.hash == b.hash && a.length == b.length && a.word0 == b.word0 && a.word1 == b.word1 && a.word2 == b.word2
            && a.overflow == b.overflow && a.host == b.host
    }

    /// A hash of the host's bytes (FNV-1a): computed once per distinct host, not per line.
    static func hostHash(_ host: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in host.utf8 { h = (h ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return h
    }

    /// A 64-bit finaliser (splitmix64): every input bit moves every output bit.
    @inline(__always)
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
