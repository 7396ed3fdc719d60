import DeliverySignals
import Foundation

/// One configured source of delivery signals (a `[[source]]` entry of config.toml).
public struct PollerSource: Sendable, Hashable {
    /// What kind of reader follows the path.
    public enum Kind: String, Sendable, CaseIterable {
        /// A Postfix log file, tailed across rotations.
        case postfixLog = "postfix-log"
        /// A Maildir of bounce / complaint mails.
        case maildir
        /// An event file (JSON lines are tailed) or a folder of event files / mails, each read once.
        case events
        /// The Mailgun Events API (`path` is the events URL), fetched page by page.
        case mailgunApi = "mailgun-api"
    }

    public var kind: Kind
    public var path: String
    /// The input format when it should not be detected (events sources).
    public var format: FormatDetect.Format?
    /// Our smarthost / ESP relay names: a `status=sent` to them is a hand-off (`sent`), not a delivery.
    public var smarthosts: [String]
    /// The time zone of syslog timestamps without offset (`UTC`, `+01:00`, `Europe/Paris`).
    public var timeZone: PostfixTimeZone
    /// Where processed Maildir mails are moved (optional).
    public var doneFolder: String?
    /// Maildir: at most this many bytes of one mail are read (see `DsnMailbox.parseMaildirMail`).
    public var maxMailBytes: Int
    /// Events (log lines, mails, documents) per committed batch.
    public var batchSize: Int
    /// Read the rotated siblings of a log on its first read.
    public var backfillRotated: Bool
    /// `mailgun-api`: the environment variable holding the API key (never the key itself in the config).
    public var apiKeyEnv: String
    /// `mailgun-api`: how old an event must be before a scan reads it (late events settle), seconds.
    public var settle: Double
    /// `mailgun-api`: seconds between scans.
    public var fetchInterval: Double

    public init(
        kind: Kind, path: String, format: FormatDetect.Format? = nil, smarthosts: [String] = [],
        timeZone: PostfixTimeZone = .utc, doneFolder: String? = nil, batchSize: Int = 1000, backfillRotated: Bool = true,
        apiKeyEnv: String = "MAILGUN_API_KEY", settle: Double = 1800, fetchInterval: Double = 60,
        maxMailBytes: Int = MaildirReader.defaultMaxMailBytes
    ) {
        self.maxMailBytes = max(1, maxMailBytes)
        self.kind = kind
        self.path = path
        self.format = format
        self.smarthosts = smarthosts
        self.timeZone = timeZone
        self.doneFolder = doneFolder
        self.batchSize = max(1, batchSize)
        self.backfillRotated = backfillRotated
        self.apiKeyEnv = apiKeyEnv
        self.settle = settle
        self.fetchInterval = fetchInterval
    }

    /// The name its cursor and processed items are kept under in the store.
    public var name: String { kind.rawValue + ":" + path }
}

/// A source that cannot be read right now: reported, retried with backoff, never fatal.
public struct SourceProblem: Error, Sendable, Hashable, CustomStringConvertible {
    public var source: String
    public var reason: String

    public init(source: String, reason: String) {
        self.source = source
        self.reason = reason
    }

    public var description: String { "\(source): \(reason)" }
}
