import ArgumentParser
import ChatterRuntime
import Dispatch
import EventIngest
import Foundation
import Hummingbird
import PixelServer
import PostgresStore
import TrackingModel
import TrackingStore

/// `chatter serve`: the open-tracking pixel and the provider webhooks over HTTP,
/// on loopback by default; with the sender configured (`[smtp]`, `--smtp-host`
/// or `--sendmail`) it also drains the outbox, so one long-running process does
/// the server side of chatter.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Answer the open-tracking pixel and the provider webhooks (Mailgun, Postmark, SendGrid, SES via SNS); send the outbox when a sender is configured.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var smtp: SMTPOptions
    @OptionGroup var log: LogOptions

    @Option(name: .long, help: "ADDRESS:PORT to listen on (default 127.0.0.1:8025; port 0 picks one).")
    var listen = "127.0.0.1:8025"

    @Option(name: .long, help: "Per client address: sustained pixel requests per second.")
    var rate: Double = 20

    @Option(name: .long, help: "Per client address: burst of requests allowed at once.")
    var burst: Double = 40

    @Option(name: .long, help: "Environment variable holding Mailgun's webhook signing key (unset: /webhooks/mailgun answers 404).")
    var mailgunSigningKeyEnv = "MAILGUN_SIGNING_KEY"

    @Option(name: .long, help: "Basic-auth user of Postmark's webhook URL (with --postmark-password-env).")
    var postmarkUser: String?

    @Option(name: .long, help: "Environment variable holding the basic-auth password of Postmark's webhook URL.")
    var postmarkPasswordEnv = "POSTMARK_WEBHOOK_PASSWORD"

    @Option(name: .long, help: "SendGrid's event webhook verification key (base64 DER public key; unset: 404).")
    var sendgridVerificationKey: String?

    @Option(
        name: .long,
        help: "SNS topic ARN that SES publishes to (repeatable; overrides [serve] ses_topic_arns; none: /webhooks/ses answers 404).")
    var sesTopicArn: [String] = []

    @Flag(
        inversion: .prefixedNo,
        help: "Confirm SNS subscriptions by GETting their SubscribeURL (default: off, [serve] ses_auto_confirm; off: the URL is logged).")
    var sesAutoConfirm: Bool?

    @Option(name: .long, help: "Per client address: sustained webhook requests per second (over it: 429).")
    var webhookRate: Double = 50

    @Option(name: .long, help: "Per client address: burst of webhook requests allowed at once.")
    var webhookBurst: Double = 200

    @Option(
        name: .long,
        help: "Connections held at once (default: the open-file limit, raised to its hard limit, less a reserve of 1/8 (at least 64), at most 10,000); over it new ones are closed at once.")
    var maxConnections: Int?

    @Option(name: .long, help: "Connections held at once from one client address (trusted proxies exempt).")
    var maxConnectionsPerAddress = 64

    @Option(name: .long, help: "Seconds a connection may wait for a request (new or kept alive) without sending a byte.")
    var idleTimeout: Double = 15

    @Option(name: .long, help: "Seconds from a request's first byte until its whole head has arrived.")
    var headerTimeout: Double = 10

    @Option(name: .long, help: "Seconds from a request's head until its body has arrived.")
    var bodyTimeout: Double = 30

    @Option(
        name: .long,
        help: "A reverse proxy (CIDR or address; repeatable; overrides [serve] trusted_proxies) whose X-Forwarded-For names the client.")
    var trustedProxy: [String] = []

    func run() throws {
        guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]),
            (0...65535).contains(port)
        else { throw CLIError.usage("--listen wants ADDRESS:PORT, got \(listen)") }
        let host = String(listen[..<colon]).trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        guard rate > 0, burst >= 1 else { throw CLIError.usage("--rate wants > 0 and --burst >= 1") }
        guard webhookRate > 0, webhookBurst >= 1 else {
            throw CLIError.usage("--webhook-rate wants > 0 and --webhook-burst >= 1")
        }
        let limits = try connectionLimits(descriptorLimit: DescriptorLimit.raiseSoftToHard())
        let (store, senderStore, sendLock) = try openServeStores()
        log.bootstrap()
        let say = log.announcer(label: "chatter.serve")
        let service = ServiceEndpoints(metrics: ServiceMetrics(registry: ProcessMetrics.bootstrap(), lag: Self.pollerLag()?.sampler))
        let notify = SystemdNotify()
        let stopSignals = Self.notifyStopping(notify)
        defer { withExtendedLifetime(stopSignals) {} }
        let configured = smtp.baseUrl ?? PixelBase.configured
        let senderSlot = SenderSlot()
        let senderOptions = SendableBox(smtp)
        let config = try ServeConfigFile.load()
        let webhooks = try webhookOptions(config: config)
        let proxyList = trustedProxy.isEmpty ? config.trustedProxies ?? [] : trustedProxy
        var badProxy: String?
        guard let proxies = TrustedProxies(proxyList, bad: &badProxy) else {
            throw CLIError.usage("trusted proxy \(badProxy ?? "") is not an address or CIDR (10.0.0.0/8, ::1/128)")
        }
        let enabled = [
            webhooks.mailgunSigningKey.map { _ in "mailgun" }, webhooks.postmarkUser.map { _ in "postmark" },
            webhooks.sendgridVerificationKey.map { _ in "sendgrid" },
            webhooks.sesTopicArns.isEmpty
                ? nil : "ses (\(webhooks.sesTopicArns.count) topic(s)\(webhooks.sesAutoConfirm ? ", auto-confirm" : ""))",
        ].compactMap { $0 }
        let app = PixelServer.application(
            store: store,
            options: PixelServerOptions(
                host: host, port: port, ratePerSecond: rate, rateBurst: burst, webhooks: webhooks, limits: limits,
                trustedProxies: proxies),
            service: service,
            onRunning: { actual in
                let base = configured ?? "http://\(host):\(actual)"
                say("listening on \(host):\(actual), pixel URLs under \(base)/t/")
                say("webhooks: \(enabled.isEmpty ? "none configured" : enabled.joined(separator: ", "))")
                say(
                    "connections: at most \(limits.maxConnections) (\(limits.maxPerAddress) per address), "
                        + "timeouts idle \(limits.idleTimeout) s, header \(limits.headerTimeout) s, body \(limits.bodyTimeout) s")
                say(
                    "X-Forwarded-For: "
                        + (proxyList.isEmpty ? "ignored (no trusted proxy)" : "from \(proxyList.joined(separator: ", "))"))
                // Started once the port is known: without a configured base URL the
                // pixels of the mail it sends point at this very server.
                let sender = BackgroundSender(
                    store: senderStore, sendLock: sendLock, smtp: senderOptions.value, fallbackBaseURL: base,
                    log: { say($0) })
                say("outbox: \(sender.status)")
                senderSlot.set(sender)
                notify.ready()
            })
        defer { senderSlot.stop() }
        let box = SendableBox(app)
        try runBlocking { try await box.value.runService(gracefulShutdownSignals: [.sigterm, .sigint]) }
    }
}

/// The sender `serve` starts once it listens, stopped when the server ends.
private final class SenderSlot: @unchecked Sendable {
    private let lock = NSLock()
    private var sender: BackgroundSender?

    func set(_ s: BackgroundSender) { lock.withLock { sender = s } }
    func stop() { lock.withLock { sender }?.stop() }
}

extension ServeCommand {
    /// The store `--db` names for the server, and the one its background sender drains with the
    /// send lock it takes: on PostgreSQL a second session of its own (a send never holds up a
    /// pixel) and no lock (the server keeps several senders' claims apart, as `chatter ui`
    /// does); on a file the same store and the file's send lock.
    func openServeStores() throws -> (store: any ServeRole, sender: any OutboxRole, sendLock: String?) {
        if let store = try global.openPostgresStore(create: false), let sender = try global.openPostgresStore(create: false) {
            return (store, sender, nil)
        }
        let store = try global.openStore()
        return (store, store, store.path)
    }

    /// The lag of config.toml's tailed sources, for /metrics (none when it has no sources or is unreadable:
    /// serve does not need the poller's config to run).
    static func pollerLag() -> PollerLag? {
        let env = ProcessInfo.processInfo.environment
        let path = env["CHATTER_CONFIG"].flatMap { $0.isEmpty ? nil : $0 } ?? PollerConfig.defaultPath
        guard let config = try? PollerConfig.load(path: path), !config.sources.isEmpty else { return nil }
        return PollerLag(sources: config.sources)
    }

    /// `STOPPING=1` to systemd on SIGTERM / SIGINT (the server's own handlers shut it down).
    static func notifyStopping(_ notify: SystemdNotify) -> [DispatchSourceSignal] {
        [SIGTERM, SIGINT].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { notify.stopping() }
            source.resume()
            return source
        }
    }

    /// The webhooks' secrets: from the environment (never from the command line, never
    /// logged), except SendGrid's public verification key; SES's topic ARNs and
    /// auto-confirm (not secrets) from the command line, else `[serve]` of config.toml.
    func webhookOptions(config: ServeConfigFile) throws -> WebhookOptions {
        let env = ProcessInfo.processInfo.environment
        func secret(_ name: String) -> String? { env[name].flatMap { $0.isEmpty ? nil : $0 } }
        var options = WebhookOptions(
            mailgunSigningKey: secret(mailgunSigningKeyEnv), ratePerSecond: webhookRate, rateBurst: webhookBurst)
        let arns = sesTopicArn.isEmpty ? config.sesTopicArns ?? [] : sesTopicArn
        for arn in arns where !Self.isTopicArn(arn) {
            throw CLIError.usage("SES topic ARN \(arn) is not arn:aws…:sns:REGION:ACCOUNT:TOPIC")
        }
        options.sesTopicArns = arns
        options.sesAutoConfirm = sesAutoConfirm ?? config.sesAutoConfirm ?? false
        if let user = postmarkUser {
            guard let password = secret(postmarkPasswordEnv) else {
                throw CLIError.usage("--postmark-user wants the password in $\(postmarkPasswordEnv)")
            }
            options.postmarkUser = user
            options.postmarkPassword = password
        }
        if let key = sendgridVerificationKey {
            guard WebhookSignatures.sendgridKey(base64: key) != nil else {
                throw CLIError.usage("--sendgrid-verification-key wants a base64 DER P-256 public key")
            }
            options.sendgridVerificationKey = key
        }
        return options
    }

    /// The connection limits and timeouts; `--max-connections` may not exceed what the
    /// descriptor limit leaves after its reserve (the process would die at the limit).
    func connectionLimits(descriptorLimit: Int) throws -> ConnectionLimits {
        let ceiling = descriptorLimit - ConnectionLimits.reservedDescriptors(of: descriptorLimit)
        if let wanted = maxConnections, !(1...max(1, ceiling)).contains(wanted) {
            throw CLIError.usage(
                "--max-connections wants 1-\(max(1, ceiling)) (open-file limit \(descriptorLimit) less its reserve), got \(wanted)")
        }
        guard maxConnectionsPerAddress >= 1 else { throw CLIError.usage("--max-connections-per-address wants >= 1") }
        for (name, value) in [("--idle-timeout", idleTimeout), ("--header-timeout", headerTimeout), ("--body-timeout", bodyTimeout)]
        where !(value > 0 && value <= 86400) {
            throw CLIError.usage("\(name) wants seconds in (0, 86400], got \(value)")
        }
        return ConnectionLimits(
            maxConnections: maxConnections ?? ConnectionLimits.defaultMaxConnections(descriptorLimit: descriptorLimit),
            maxPerAddress: maxConnectionsPerAddress, idleTimeout: idleTimeout, headerTimeout: headerTimeout,
            bodyTimeout: bodyTimeout)
    }

    /// `arn:<partition>:sns:<region>:<account>:<topic>`, the shape SNS writes in `TopicArn`.
    static func isTopicArn(_ text: String) -> Bool {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        return parts.count == 6 && parts[0] == "arn" && parts[1].hasPrefix("aws") && parts[2] == "sns"
            && parts[3...].allSatisfy { !$0.isEmpty }
    }
}
