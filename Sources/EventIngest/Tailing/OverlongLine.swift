import DeliverySignals
import TrackingModel

/// A line longer than `LogTailerOptions.maxLineLength`: never held in memory whole, never
/// handed to a parser (a prefix of it could parse as a different line); the tailer skips
/// it to its newline and reports it once, so the reader quarantines it with its position.
public struct OverlongLine: Sendable, Hashable {
    /// Byte offset of the line's first byte in `path` (decompressed offset for `.gz`).
    public var offset: Int64
    /// The line's length without its newline.
    public var length: Int64
    /// The file it was read from.
    public var path: String
    /// Its first bytes (at most `excerptLength`), for the quarantine's excerpt.
    public var head: [UInt8]

    /// How many leading bytes are kept.
    public static let excerptLength = 200

    /// The quarantine reason.
    public func reason(limit: Int) -> String {
        "line too long (\(length) bytes, limit \(limit))"
    }

    /// The quarantined item of the line, for the parser family `source` (`position` as that family writes it).
    public func quarantined(source: SignalSource, position: String, limit: Int) -> QuarantineItem {
        QuarantineItem(
            source: source.rawValue, path: path, position: position, reason: reason(limit: limit),
            excerpt: String(decoding: head, as: UTF8.self))
    }
}
