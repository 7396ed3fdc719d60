import Dispatch
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// systemd's readiness protocol without libsystemd: one datagram per state change on the
/// AF_UNIX socket named by `$NOTIFY_SOCKET` (a path, or an abstract name written with a
/// leading `@`). `READY=1` once serving, `STOPPING=1` on SIGTERM, `WATCHDOG=1` every half
/// of `$WATCHDOG_USEC`. Without `$NOTIFY_SOCKET` (not under systemd) it does nothing.
final class SystemdNotify: @unchecked Sendable {
    private let socketName: String?
    private let watchdogMicroseconds: UInt64?
    private let lock = NSLock()
    private var timer: DispatchSourceTimer?

    init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        socketName = environment["NOTIFY_SOCKET"].flatMap { $0.isEmpty ? nil : $0 }
        // WATCHDOG_PID, when set, names the process the watchdog is meant for.
        let forUs = environment["WATCHDOG_PID"].map { $0 == String(getpid()) } ?? true
        watchdogMicroseconds = forUs ? environment["WATCHDOG_USEC"].flatMap { UInt64($0) }.flatMap { $0 > 0 ? $0 : nil } : nil
    }

    /// Whether a service manager listens.
    var isActive: Bool { socketName != nil }

    /// `READY=1`, and the watchdog pings start when the manager asked for them.
    func ready() {
        send("READY=1\nMAINPID=\(getpid())")
        startWatchdog()
    }

    /// `STOPPING=1`: the service is shutting down (the batch in flight finishes first).
    func stopping() {
        lock.withLock {
            timer?.cancel()
            timer = nil
        }
        send("STOPPING=1")
    }

    /// `STATUS=…`: one line shown by `systemctl status`.
    func status(_ text: String) {
        send("STATUS=" + text.replacingOccurrences(of: "\n", with: " "))
    }

    private func startWatchdog() {
        guard let usec = watchdogMicroseconds, isActive else { return }
        let t = DispatchSource.makeTimerSource(queue: .global())
        let half = DispatchTimeInterval.microseconds(Int(min(usec / 2, UInt64(Int32.max))))
        t.schedule(deadline: .now() + half, repeating: half)
        t.setEventHandler { [weak self] in self?.send("WATCHDOG=1") }
        lock.withLock {
            timer?.cancel()
            timer = t
        }
        t.resume()
    }

    /// Sends one datagram; failures are ignored (the manager may be gone), as sd_notify does.
    @discardableResult
    func send(_ message: String) -> Bool {
        guard let name = socketName else { return false }
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var path = Array(name.utf8)
        if path.first == UInt8(ascii: "@") { path[0] = 0 }  // abstract namespace
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard path.count <= capacity - (path.first == 0 ? 0 : 1) else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: path)
        }
        // An abstract name's length is exact (no terminating NUL); a path's includes nothing past it.
        let length = socklen_t(MemoryLayout<sockaddr_un>.offset(of: \.sun_path)! + path.count)
        let bytes = Array(message.utf8)
        let sent = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                bytes.withUnsafeBytes { sendto(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL), sa, length) }
            }
        }
        return sent == bytes.count
    }
}
