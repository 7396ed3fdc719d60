import ArgumentParser
import Foundation
import Hummingbird
import PixelServer
import TrackingStore

/// `chatter serve`: the open-tracking pixel over HTTP, on loopback by default.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Answer the open-tracking pixel (records opens by the pixel rules).")

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: "ADDRESS:PORT to listen on (default 127.0.0.1:8025; port 0 picks one).")
    var listen = "127.0.0.1:8025"

    @Option(name: .long, help: "The public base URL mail points at (printed; the pixel URLs are built from it).")
    var baseUrl: String?

    @Option(name: .long, help: "Per client address: sustained pixel requests per second.")
    var rate: Double = 20

    @Option(name: .long, help: "Per client address: burst of requests allowed at once.")
    var burst: Double = 40

    func run() throws {
        guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]),
            (0...65535).contains(port)
        else { throw CLIError.usage("--listen wants ADDRESS:PORT, got \(listen)") }
        let host = String(listen[..<colon]).trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        guard rate > 0, burst >= 1 else { throw CLIError.usage("--rate wants > 0 and --burst >= 1") }
        let store = try global.openStore()
        let base = baseUrl ?? (try? SMTPConfigFile.load().values["base_url"]) ?? "http://\(listen)"
        let app = PixelServer.application(
            store: store, options: PixelServerOptions(host: host, port: port, ratePerSecond: rate, rateBurst: burst),
            onRunning: { actual in err("chatter serve: listening on \(host):\(actual), pixel URLs under \(base)/t/") })
        let box = SendableBox(app)
        try runBlocking { try await box.value.runService(gracefulShutdownSignals: [.sigterm, .sigint]) }
    }
}
