/// A 128-bit fingerprint of raw bytes, for uniqueness keys of signals that carry no id
/// (a DSN without Message-ID, a JSON line without key). Two FNV-1a 64 passes with
/// different seeds: not cryptographic, but stable across runs and platforms, and
/// collisions need ~2^64 inputs — fine for an idempotency key.
public enum ByteFingerprint {
    /// 32 hex digits identifying `bytes`.
    public static func hex<C: Collection<UInt8>>(_ bytes: C) -> String {
        var first: UInt64 = 0xcbf2_9ce4_8422_2325
        var second: UInt64 = 0x6c62_272e_07bb_0142
        for byte in bytes {
            first = (first ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
            second = (second ^ UInt64(byte ^ 0x5a)) &* 0x0000_0100_0000_01b3
        }
        return hex64(first) + hex64(second)
    }

    private static func hex64(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
