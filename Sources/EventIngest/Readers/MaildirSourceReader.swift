import DeliverySignals
import Foundation
import TrackingModel

/// A Maildir of bounce / complaint mails: each mail (by its Maildir identity, stable
/// across a mail reader's renames) is applied once, its identity recorded in the same
/// transaction as its events; optionally moved to a done folder after the commit.
///
/// Mails are read (at most `maxMailBytes` each) and parsed before the write transaction
/// begins, so a big mail never holds the store's write lock: the transaction only applies
/// the parsed events and records the identities.
final class MaildirSourceReader: SourceReader {
    let name: String
    private let reader: MaildirReader
    private let doneFolder: String?
    private let batchSize: Int
    private var processed: Set<String>?
    /// Problems of the last step that did not stop it (a mail that could not be moved).
    private(set) var warnings: [String] = []
    /// A batch stops taking mails once it holds this many bytes (at least one mail).
    static let batchBytes = 16 << 20
    /// Turns a mail into its events (tests watch when it runs).
    private let parse: (MaildirReader.Mail) -> IngestBatch

    init(
        name: String, root: String, doneFolder: String?, batchSize: Int, maxMailBytes: Int,
        parse: @escaping (MaildirReader.Mail) -> IngestBatch = DsnMailbox.parseMaildirMail
    ) {
        self.name = name
        self.parse = parse
        reader = MaildirReader(root: root, maxMailBytes: maxMailBytes)
        self.doneFolder = doneFolder
        self.batchSize = batchSize
    }

    var progress: (done: Int64, total: Int64)? { nil }

    func step(store: any IngestRole) throws -> (report: PollReport, more: Bool) {
        var seen = try processed ?? store.processedItems(source: name)
        processed = seen
        let entries: [MaildirReader.Entry]
        do { entries = try reader.entries() } catch {
            throw SourceProblem(source: name, reason: String(describing: error))
        }
        let unseen = entries.filter { !seen.contains($0.identity) }
        if unseen.isEmpty { return (PollReport(), false) }
        // Read and parse outside the transaction.
        var parsed: [(mail: MaildirReader.Mail, batch: IngestBatch)] = []
        var looked = 0
        var bytes = 0
        for entry in unseen {
            if parsed.count >= batchSize || (!parsed.isEmpty && bytes >= Self.batchBytes) { break }
            looked += 1
            let mail: MaildirReader.Mail
            switch Result(catching: { () throws(MaildirReader.Failure) -> MaildirReader.Mail in try reader.read(entry) }) {
            case .success(let read): mail = read
            case .failure(.vanished): continue
            case .failure(let failure): throw SourceProblem(source: name, reason: String(describing: failure))
            }
            bytes += mail.bytes.count
            parsed.append((mail, parse(mail)))
        }
        let more = unseen.count > looked
        if parsed.isEmpty { return (PollReport(), more) }
        let report = try store.ingest { tx -> PollReport in
            var report = PollReport()
            for item in parsed {
                try IngestApplier.apply(item.batch, in: tx, report: &report)
                try tx.markProcessed(source: name, item: item.mail.identity)
            }
            report.batches = 1
            return report
        }
        for item in parsed { seen.insert(item.mail.identity) }
        processed = seen
        warnings = []
        if let doneFolder {
            for item in parsed {
                do { try reader.moveToDone(item.mail, doneFolder: doneFolder) } catch {
                    // Already recorded: it will not be applied again; say so and go on.
                    warnings.append("\(item.mail.path): \(error)")
                }
            }
        }
        return (report, more)
    }
}
