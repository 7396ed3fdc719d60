import Foundation
import Hummingbird
import Metrics
import PixelServer
import Prometheus
import TrackingStore

/// `ADDRESS:PORT` of a listening option (`[::1]:9100` for IPv6; port 0 picks one).
struct ListenAddress: Sendable, Equatable {
    var host: String
    var port: Int

    init(parsing text: String, option: String) throws {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port)
        else { throw CLIError.usage("\(option) wants ADDRESS:PORT, got \(text)") }
        host = String(text[..<colon]).trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        guard !host.isEmpty else { throw CLIError.usage("\(option) wants ADDRESS:PORT, got \(text)") }
        self.port = port
    }
}

/// Metrics of a long-running command: one Prometheus registry per process, which the
/// swift-metrics API (`Counter(label:)`, used by libraries) also feeds.
enum ProcessMetrics {
    /// Bootstraps swift-metrics onto a fresh registry and returns it.
    static func bootstrap() -> PrometheusCollectorRegistry {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }
}

/// `poll --metrics`: `/healthz` and `/metrics` on their own small server, run beside the poller.
final class MetricsListener: @unchecked Sendable {
    private var task: Task<Void, Never>?

    /// Starts listening; `onRunning` gets the port (announced on stderr by the caller).
    func start(
        endpoints: ServiceEndpoints, store: TrackingStore, address: ListenAddress,
        onRunning: @escaping @Sendable (Int) -> Void, onFailure: @escaping @Sendable (any Error) -> Void
    ) {
        let app = SendableBox(
            endpoints.application(store: store, host: address.host, port: address.port, onRunning: { onRunning($0) }))
        task = Task {
            do { try await app.value.run() } catch is CancellationError {} catch { onFailure(error) }
        }
    }

    /// Stops the server (after the poller stopped).
    func stop() {
        task?.cancel()
        task = nil
    }
}
