import ArgumentParser
import Foundation
import TrackingModel
import TrackingStore

/// `chatter demo`: builds the demo store.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo", abstract: "Build a realistic demo store (partners, threads, messages, every status).")

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: "Number of messages.")
    var size: Int = 300

    @Option(name: .long, help: "Seed of the generator (same seed, same store).")
    var seed: UInt64 = 42

    func run() throws {
        guard size >= 0 else { throw CLIError.usage("--size must be 0 or more") }
        let dataset = try DemoDataset.load(from: Assets.data("demo/dataset.json"))
        let path = try global.storePath
        var options = DemoOptions()
        options.size = size
        options.seed = seed
        let started = Date()
        let showProgress = !global.json && isatty(2) == 1 && size >= 100_000
        let total = size
        let report = try TrackingStore.buildDemo(at: path, dataset, options: options) { done in
            if showProgress {
                let pct = total == 0 ? 100 : done * 100 / total
                FileHandle.standardError.write(Data("\r  \(done)/\(total) messages (\(pct)%)".utf8))
            }
        }
        if showProgress { err("") }
        let seconds = Date().timeIntervalSince(started)
        if global.json {
            out(
                JSON.object([
                    ("path", .string(path)), ("partners", .int(Int64(report.partners))),
                    ("threads", .int(Int64(report.threads))), ("messages", .int(Int64(report.messages))),
                    ("trackings", .int(Int64(report.trackings))), ("events", .int(Int64(report.events))),
                    ("seconds", .number(seconds)),
                ]).text)
        } else {
            out(
                "demo store \(path): \(report.partners) partners, \(report.threads) threads, "
                    + "\(report.messages) messages, \(report.trackings) trackings, \(report.events) events "
                    + String(format: "(%.1f s)", seconds))
        }
    }
}
