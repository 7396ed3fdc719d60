import Foundation
import TrackingModel

/// How far the poller is behind on its tailed files (`/metrics`): bytes written but not
/// yet committed, from the saved cursor and the file on disk, and for how long the source
/// has not been caught up. Folders, Maildirs and APIs have no byte position: not measured.
public final class PollerLag: @unchecked Sendable {
    /// One source's lag.
    public struct Sample: Sendable, Equatable {
        public var source: String
        public var bytes: Int64
        public var seconds: Double
    }

    private let sources: [PollerSource]
    private let lock = NSLock()
    /// When each source was last seen with nothing left to read (starts at creation).
    private var caughtUp: [String: Double] = [:]
    private let started: Double

    public init(sources: [PollerSource], now: Double = Date().timeIntervalSince1970) {
        self.sources = sources.filter(Self.isTailed)
        started = now
    }

    /// A tailed file: a Postfix log, or an events path that is a file (JSON lines).
    static func isTailed(_ source: PollerSource) -> Bool {
        switch source.kind {
        case .postfixLog: return true
        case .events:
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: source.path, isDirectory: &isDirectory) && !isDirectory.boolValue
        case .maildir, .mailgunApi: return false
        }
    }

    /// Measures every tailed source now.
    public func sample(store: any IngestRole, now: Double = Date().timeIntervalSince1970) -> [Sample] {
        sources.map { source in
            let bytes = Self.bytesBehind(source, saved: (try? store.cursor(source: source.name)) ?? nil)
            let seconds: Double = lock.withLock {
                if bytes == 0 { caughtUp[source.name] = now }
                return bytes == 0 ? 0 : max(0, now - (caughtUp[source.name] ?? started))
            }
            return Sample(source: source.name, bytes: bytes, seconds: seconds)
        }
    }

    /// `sample` as `/metrics` takes it (`ServiceMetrics.LagSampler`'s shape).
    public var sampler: @Sendable (any IngestRole) -> [(source: String, bytes: Int64, seconds: Double)] {
        { store in self.sample(store: store).map { ($0.source, $0.bytes, $0.seconds) } }
    }

    /// The live file's size past the cursor; when the cursor is on another file (a rotated
    /// sibling being drained, or a file replaced since), what is left there plus the live file.
    static func bytesBehind(_ source: PollerSource, saved: String?) -> Int64 {
        let live = Self.identity(source.path)
        guard let saved, let cursor = try? JSONDecoder().decode(FileCursor.self, from: Data(saved.utf8)) else {
            return live?.size ?? 0
        }
        guard let live else { return 0 }
        if cursor.device == live.device, cursor.inode == live.inode, !cursor.compressed {
            return max(0, live.size - cursor.offset)
        }
        let other = cursor.compressed ? nil : Self.identity(cursor.path)
        let rest = other.map { $0.inode == cursor.inode ? max(0, $0.size - cursor.offset) : 0 } ?? 0
        return rest + live.size
    }

    private static func identity(_ path: String) -> (device: UInt64, inode: UInt64, size: Int64)? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return (UInt64(info.st_dev), UInt64(info.st_ino), Int64(info.st_size))
    }
}
