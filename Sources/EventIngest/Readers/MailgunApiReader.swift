import DeliverySignals
import Foundation
import HTTPFetch
import TrackingModel

/// Fetches the Mailgun Events API: scans of `begin…end` pages in
/// ascending order, following `paging.next` until an empty page; each page is one batch
/// committed with the cursor (the scan's next page URL and the newest event time).
///
/// - Settle window: a scan ends at now − `settle` (Mailgun may still add events for
///   the last minutes); the next scan begins at the newest time seen (repeats are
///   duplicates by key).
/// - Scans start at most every `interval` seconds; 429 and 5xx answers are source
///   problems (retried with the poller's backoff, at least `Retry-After`).
final class MailgunApiReader: SourceReader {
    struct Settings: Sendable, Hashable {
        /// The events endpoint, e.g. `https://api.mailgun.net/v3/DOMAIN/events`.
        var url: String
        /// The environment variable holding the API key (read at each fetch).
        var apiKeyEnv: String
        var settle: Double = 1800
        var interval: Double = 60
        var pageSize: Int = 300
    }

    /// The committed position.
    struct Position: Codable, Equatable {
        /// Start of the next scan (epoch seconds).
        var begin: Double
        /// The page to fetch next within the current scan.
        var next: String?
        /// End of the current scan.
        var end: Double?
    }

    let name: String
    private let settings: Settings
    private let clock: @Sendable () -> Double
    private var nextScanAt = 0.0

    init(name: String, settings: Settings, clock: @escaping @Sendable () -> Double) {
        self.name = name
        self.settings = settings
        self.clock = clock
    }

    var progress: (done: Int64, total: Int64)? { nil }

    func step(store: any IngestRole) throws -> (report: PollReport, more: Bool) {
        let now = clock()
        var position = try store.cursor(source: name).flatMap {
            try? JSONDecoder().decode(Position.self, from: Data($0.utf8))
        } ?? Position(begin: now - settings.settle - 86_400)
        if position.next == nil {
            guard now >= nextScanAt else { return (PollReport(), false) }
            position.end = now - settings.settle
        }
        guard let url = pageURL(position) else {
            throw SourceProblem(source: name, reason: "bad events URL \(settings.url)")
        }
        guard let apiKey = ProcessInfo.processInfo.environment[settings.apiKeyEnv], !apiKey.isEmpty else {
            throw SourceProblem(source: name, reason: "no API key: set \(settings.apiKeyEnv)")
        }
        let response: HTTPFetch.Response
        do {
            let auth = Data("api:\(apiKey)".utf8).base64EncodedString()
            response = try HTTPFetch.get(url, headers: ["Authorization": "Basic \(auth)"])
        } catch {
            throw SourceProblem(source: name, reason: "fetch failed: \(error.localizedDescription)")
        }
        switch response.status {
        case 200: break
        case 429:
            nextScanAt = now + (response.retryAfter ?? settings.interval)
            throw SourceProblem(source: name, reason: "rate limited (429)")
        case 401, 403:
            throw SourceProblem(source: name, reason: "refused (\(response.status)): check the API key")
        default:
            throw SourceProblem(source: name, reason: "HTTP \(response.status)")
        }
        let shownPath = url.absoluteString
        let batch = MailgunEvents.parse(Array(response.body), path: shownPath)
        let finished = batch.events.isEmpty && batch.quarantined.isEmpty
        var next = position
        let newest = batch.events.map(\.timestamp).max()
        if finished || batch.nextPage == nil {
            // Scan done: the next begins at the newest event seen (or the scan's end when none was).
            next = Position(begin: max(position.begin, newest ?? position.end ?? position.begin), next: nil, end: nil)
            nextScanAt = now + settings.interval
        } else {
            next.next = batch.nextPage
            if let newest { next.begin = max(next.begin, newest) }
        }
        let report = try store.ingest { tx -> PollReport in
            var report = PollReport()
            try IngestApplier.apply(batch, in: tx, report: &report)
            let encoded = String(decoding: try JSONEncoder().encode(next), as: UTF8.self)
            try tx.saveCursor(SourceCursor(source: name, value: encoded))
            report.batches = 1
            return report
        }
        return (report, next.next != nil)
    }

    private func pageURL(_ position: Position) -> URL? {
        if let next = position.next { return URL(string: next) }
        guard var components = URLComponents(string: settings.url) else { return nil }
        var items = components.queryItems ?? []
        items += [
            URLQueryItem(name: "begin", value: String(format: "%.3f", position.begin)),
            URLQueryItem(name: "end", value: String(format: "%.3f", position.end ?? clock())),
            URLQueryItem(name: "ascending", value: "yes"), URLQueryItem(name: "limit", value: String(settings.pageSize)),
        ]
        components.queryItems = items
        return components.url
    }
}
