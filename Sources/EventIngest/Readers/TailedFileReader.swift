import Foundation
import TrackingModel

/// A line source (Postfix log, JSON-lines event file) followed with `LogTailer`: each
/// batch's lines, their effects and the `FileCursor` after them commit in one transaction.
final class TailedFileReader: SourceReader {
    let name: String
    private let path: String
    private let handler: LineHandler
    private let batchSize: Int
    private let options: LogTailerOptions
    private var tailer: LogTailer?
    private var lastCursor: FileCursor?

    init(name: String, path: String, handler: LineHandler, batchSize: Int, backfillRotated: Bool) {
        self.name = name
        self.path = path
        self.handler = handler
        self.batchSize = batchSize
        options = LogTailerOptions(backfillRotated: backfillRotated)
    }

    var progress: (done: Int64, total: Int64)? {
        guard let cursor = lastCursor, !cursor.compressed, cursor.path == path else { return nil }
        return (cursor.offset, max(cursor.size, cursor.offset))
    }

    /// Nothing new since the committed cursor: the same file (inode and first bytes) at the
    /// same size. Saves an empty write transaction per idle round.
    private func isIdle() -> Bool {
        guard let cursor = lastCursor, tailer != nil, cursor.path == path, !cursor.compressed,
            let file = try? LogTailerFile(path: path)
        else { return false }
        return file.identity.device == cursor.device && file.identity.inode == cursor.inode
            && file.currentSize() == cursor.offset && file.matches(cursor)
    }

    func step(store: any IngestRole) throws -> (report: PollReport, more: Bool) {
        var tailer: LogTailer
        if let existing = self.tailer {
            tailer = existing
        } else {
            let saved = try store.cursor(source: name).flatMap { try? JSONDecoder().decode(FileCursor.self, from: Data($0.utf8)) }
            tailer = LogTailer(path: path, cursor: saved, options: options)
            self.tailer = tailer
            lastCursor = saved
        }
        if isIdle() { return (PollReport(), false) }
        let committed = lastCursor
        var runs = 0
        do {
            let (report, lines, after) = try store.ingest { tx -> (PollReport, Int, FileCursor?) in
                // A store that retries the batch runs this again: start over from the committed cursor.
                runs += 1
                if runs > 1 {
                    handler.rollback()
                    tailer = LogTailer(path: path, cursor: committed, options: options)
                }
                handler.begin(tx)
                var report = PollReport()
                var lines = 0
                let limit = options.maxLineLength
                let after = try tailer.read(
                    maxLines: batchSize,
                    overlong: { line in try handler.handleOverlong(line, limit: limit, report: &report) }
                ) { bytes, offset, file in
                    lines += 1
                    try handler.handle(bytes, offset: offset, path: file, report: &report)
                }
                try handler.finish()
                if let after, after != committed {
                    let encoded = String(decoding: try JSONEncoder().encode(after), as: UTF8.self)
                    try tx.saveCursor(SourceCursor(source: name, value: encoded))
                    report.batches = 1
                }
                return (report, lines, after)
            }
            self.tailer = tailer
            lastCursor = after ?? committed
            if lines == 0, !FileManager.default.fileExists(atPath: path) {
                throw SourceProblem(source: name, reason: "\(path) does not exist")
            }
            // More is waiting when the read stopped at its line or byte limit (a batch of long
            // lines can reach the byte limit with fewer lines than the batch size).
            return (report, tailer.stoppedAtLimit)
        } catch {
            // Nothing of the batch is kept: start again from the committed cursor.
            handler.rollback()
            self.tailer = nil
            throw error
        }
    }
}
