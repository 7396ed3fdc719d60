import DeliverySignals
import Foundation
import TrackingModel

/// An event document or a folder of them (provider JSON, mails, mboxes): each file is
/// applied whole, once per content version (`name:size:mtime`), recorded with its events.
final class DocumentReader: SourceReader {
    let name: String
    private let path: String
    private let format: FormatDetect.Format?
    private let batchSize: Int
    private var processed: Set<String>?

    init(name: String, path: String, format: FormatDetect.Format?, batchSize: Int) {
        self.name = name
        self.path = path
        self.format = format
        self.batchSize = batchSize
    }

    var progress: (done: Int64, total: Int64)? { nil }

    /// The files of the source with their identities, in name order.
    private func files() throws -> [(path: String, identity: String)] {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw SourceProblem(source: name, reason: "\(path) does not exist")
        }
        let paths: [String]
        if isDirectory.boolValue {
            guard let listed = Self.folderFiles(path) else {
                throw SourceProblem(source: name, reason: "\(path) cannot be listed")
            }
            paths = listed
        } else {
            paths = [path]
        }
        return paths.compactMap { file in
            guard let attributes = try? manager.attributesOfItem(atPath: file),
                attributes[.type] as? FileAttributeType == .typeRegular
            else { return nil }
            let size = (attributes[.size] as? NSNumber)?.int64Value ?? 0
            let mtime = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            return (file, (file as NSString).lastPathComponent + ":\(size):\(Int64(mtime * 1000))")
        }
    }

    /// The files of a folder (not hidden ones, not subfolders) in name order; nil when it cannot be listed.
    static func folderFiles(_ folder: String) -> [String]? {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return nil }
        return names.filter { !$0.hasPrefix(".") }.sorted().map { (folder as NSString).appendingPathComponent($0) }
    }

    func step(store: any IngestRole) throws -> (report: PollReport, more: Bool) {
        var seen = try processed ?? store.processedItems(source: name)
        processed = seen
        let pending = try files().filter { !seen.contains($0.identity) }
        guard !pending.isEmpty else { return (PollReport(), false) }
        // Documents are applied whole: as many as fit the batch size, at least one.
        var chosen: [(path: String, identity: String, batch: IngestBatch)] = []
        var count = 0
        for file in pending {
            guard let bytes = FileContent.all(file.path) else {
                throw SourceProblem(source: name, reason: "\(file.path) cannot be read")
            }
            let batch = parse(bytes, path: file.path)
            if !chosen.isEmpty, count + batch.events.count > batchSize { break }
            chosen.append((file.path, file.identity, batch))
            count += batch.events.count + batch.quarantined.count
        }
        let report = try store.ingest { tx -> PollReport in
            var report = PollReport()
            for item in chosen {
                try IngestApplier.apply(item.batch, in: tx, report: &report)
                try tx.markProcessed(source: name, item: item.identity)
            }
            report.batches = 1
            return report
        }
        for item in chosen { seen.insert(item.identity) }
        processed = seen
        return (report, pending.count > chosen.count)
    }

    private func parse(_ bytes: [UInt8], path: String) -> IngestBatch {
        let detected = format
            ?? SourceReaders.detect(FileContent.innerName(path), firstBytes: Array(bytes.prefix(FormatDetect.sniffLength)))
        guard let detected else {
            return IngestBatch(quarantined: [
                QuarantineItem(
                    source: "events", path: path, position: "0", reason: "unknown format",
                    excerpt: String(decoding: bytes.prefix(200), as: UTF8.self))
            ])
        }
        if let batch = DocumentParsers.parse(bytes, format: detected, path: path) { return batch }
        return IngestBatch(quarantined: [
            QuarantineItem(
                source: "events", path: path, position: "0",
                reason: "\(detected.rawValue) input is read by its own source kind, not as an event document",
                excerpt: String(decoding: bytes.prefix(200), as: UTF8.self))
        ])
    }
}
