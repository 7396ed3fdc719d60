import ArgumentParser
import Dispatch
import EventIngest
import Foundation
import Logging
import PixelServer
import TrackingStore

/// `chatter poll`: the poller daemon over the sources of config.toml.
struct PollCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "poll",
        abstract: "Read the configured sources into the store, continuously (or once with --once).",
        discussion: "Sources come from $XDG_CONFIG_HOME/chatter/config.toml (see README, \"Configuration\"). "
            + "SIGINT / SIGTERM stop it after the batch in progress, with its cursor saved.")

    @OptionGroup var global: GlobalOptions

    @Flag(name: .long, help: "Read every source until it has nothing more, then exit.")
    var once = false

    @Option(name: .long, help: "The config file (default: $CHATTER_CONFIG, else $XDG_CONFIG_HOME/chatter/config.toml).")
    var config: String?

    @Option(name: .long, help: "ADDRESS:PORT to serve /metrics and /healthz on (e.g. 127.0.0.1:9101; port 0 picks one).")
    var metrics: String?

    @OptionGroup var log: LogOptions

    func run() throws {
        let env = ProcessInfo.processInfo.environment
        let path = config ?? env["CHATTER_CONFIG"].flatMap { $0.isEmpty ? nil : $0 } ?? PollerConfig.defaultPath
        let metricsAddress = try metrics.map { try ListenAddress(parsing: $0, option: "--metrics") }
        let settings: PollerConfig
        do { settings = try PollerConfig.load(path: path) } catch { throw CLIError.usage("bad config: \(error)") }
        if settings.sources.isEmpty { throw CLIError.usage("no [[source]] in \(path)") }
        let gcSchedule = try GcConfigFile.load(path: path)
        log.bootstrap()
        var logger = Logger(label: "chatter.poll")
        logger.logLevel = .info
        let store = try global.openIngestStore()
        // The file store also serves /metrics and [gc]; a PostgreSQL store is fed only (for now).
        let file = store as? TrackingStore
        if file == nil, metricsAddress != nil {
            throw CLIError.usage("--metrics is served with a store file only (not yet on a PostgreSQL store)")
        }
        if file == nil, gcSchedule != nil {
            logger.warning("[gc] of \(path) is not run on a PostgreSQL store by this build; run it where the store is a file")
        }
        let poller = Poller(store: store, config: settings, logger: logger)
        if once {
            let report = poller.runOnce()
            let status = poller.status
            if global.json {
                out(
                    JSON.object([
                        ("applied", .int(Int64(report.applied))), ("duplicate", .int(Int64(report.duplicate))),
                        ("suppressed", .int(Int64(report.suppressed))), ("unmatched", .int(Int64(report.unmatched))),
                        ("quarantined", .int(Int64(report.quarantined))), ("ignored", .int(Int64(report.ignored))),
                        ("error", .str(status.error)),
                    ]).text)
            } else {
                out(IngestSummary.line(report))
            }
            if let error = status.error { throw CLIError.notFound("source failing: \(error)") }
            return
        }
        let done = DispatchSemaphore(value: 0)
        let notify = SystemdNotify()
        var sources: [DispatchSourceSignal] = []
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler {
                logger.info("stopping on signal \(signalNumber)")
                notify.stopping()
                poller.stop()
                done.signal()
            }
            source.resume()
            sources.append(source)
        }
        let statusLogger = logger
        poller.start { status in
            if status.state != .live {
                statusLogger.info("status \(status.state.rawValue)\(status.error.map { ": \($0)" } ?? "")")
            }
        }
        let listener = MetricsListener()
        if let metricsAddress, let store = file {
            let endpoints = ServiceEndpoints(
                metrics: ServiceMetrics(
                    registry: ProcessMetrics.bootstrap(), lag: PollerLag(sources: settings.sources).sampler,
                    pollerTotals: { poller.status.totals }))
            let ready = DispatchSemaphore(value: 0)
            listener.start(
                endpoints: endpoints, store: store, address: metricsAddress,
                onRunning: { port in
                    statusLogger.info("metrics listening", metadata: ["address": "\(metricsAddress.host):\(port)"])
                    ready.signal()
                },
                onFailure: { error in
                    statusLogger.error("metrics server failed: \(error)")
                    ready.signal()
                })
            ready.wait()
        }
        let gcTimer = file.flatMap { store in gcSchedule.map { Self.scheduleGc($0, store: store, logger: statusLogger) } }
        notify.ready()
        done.wait()
        gcTimer?.cancel()
        listener.stop()
        let totals = poller.status.totals
        logger.info("stopped: \(IngestSummary.line(totals))")
        withExtendedLifetime(sources) {}
    }

    /// `[gc]` of config.toml: gc now, then every `schedule.every`, off the poller's thread
    /// (its batches interleave with the poller's).
    static func scheduleGc(_ schedule: GcConfigFile, store: TrackingStore, logger: Logger) -> DispatchSourceTimer {
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "chatter.poll.gc"))
        timer.schedule(deadline: .now(), repeating: schedule.every.seconds)
        timer.setEventHandler {
            let started = Date()
            do {
                let report = try StoreRetention.run(store: store, keep: schedule.keep, dryRun: false)
                logger.info(
                    "gc: \(StoreRetention.line(report, keep: schedule.keep, dryRun: false, seconds: Date().timeIntervalSince(started)))")
            } catch {
                logger.error("gc failed: \(error)")
            }
        }
        timer.resume()
        return timer
    }
}
