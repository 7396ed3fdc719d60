import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Raw loopback TCP clients for the connection-flood tests: many sockets from chosen source
/// addresses of 127.0.0.0/8 (so "one address" and "many addresses" are both real), and one
/// plain HTTP/1.1 GET with a deadline.
enum LoopbackClient {
    /// A non-blocking socket bound to `source` and connecting to 127.0.0.1:`port`; nil when the
    /// socket could not be made (the caller counts it).
    static func open(from source: String, to port: Int) -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        var local = address(source, port: 0)
        var remote = address("127.0.0.1", port: port)
        let flags = fcntl(fd, F_GETFL, 0)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
        let bound = withUnsafePointer(to: &local) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        let rc = withUnsafePointer(to: &remote) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, rc == 0 || errno == EINPROGRESS else {
            close(fd)
            return nil
        }
        return fd
    }

    /// True when the server closed `fd` (end of file or reset); false while it is open.
    static func isClosedByPeer(_ fd: Int32) -> Bool {
        var byte: UInt8 = 0
        let n = recv(fd, &byte, 1, Int32(MSG_DONTWAIT) | Int32(MSG_PEEK))
        if n == 0 { return true }
        if n < 0 { return errno != EAGAIN && errno != EWOULDBLOCK && errno != EINPROGRESS }
        return false
    }

    /// Sends `bytes` without blocking; false when the peer is gone (reset or closed: a send can
    /// be the call that reports it, after which `isClosedByPeer` may no longer see it).
    @discardableResult
    static func send(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL) | Int32(MSG_DONTWAIT)) }
        return n >= 0 || (errno != EPIPE && errno != ECONNRESET)
    }

    /// GETs `path` from 127.0.0.1:`port` over a new connection from `source`; the status and
    /// the body, or nil when no whole answer came within `timeout` seconds.
    static func get(_ path: String, port: Int, from source: String, timeout: Double) -> (status: Int, body: [UInt8])? {
        guard let fd = open(from: source, to: port) else { return nil }
        defer { close(fd) }
        let deadline = Date().addingTimeInterval(timeout)
        var request = Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8)
        var received: [UInt8] = []
        while Date() < deadline {
            if !request.isEmpty {
                let n = request.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                if n > 0 { request.removeFirst(n) }
            }
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            _ = poll(&pfd, 1, 20)
            var buffer = [UInt8](repeating: 0, count: 4096)
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            if n > 0 { received += buffer[0..<n] }
            if n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != ENOTCONN) { break }
            if let answer = parse(received) { return answer }
        }
        return parse(received)
    }

    /// A whole answer with Content-Length in `bytes`, else nil.
    private static func parse(_ bytes: [UInt8]) -> (status: Int, body: [UInt8])? {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let end = text.range(of: "\r\n\r\n") else { return nil }
        let head = text[..<end.lowerBound]
        let status = Int(head.split(separator: " ").dropFirst().first ?? "") ?? 0
        let length = head.components(separatedBy: "\r\n").compactMap { line -> Int? in
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "content-length" else { return nil }
            return Int(parts[1].trimmingCharacters(in: .whitespaces))
        }.first ?? 0
        let headBytes = text[..<end.upperBound].utf8.count
        guard bytes.count >= headBytes + length else { return nil }
        return (status, Array(bytes[headBytes..<(headBytes + length)]))
    }

    private static func address(_ ip: String, port: Int) -> sockaddr_in {
        var a = sockaddr_in()
        a.sin_family = sa_family_t(AF_INET)
        a.sin_port = in_port_t(UInt16(port).bigEndian)
        a.sin_addr.s_addr = inet_addr(ip)
        return a
    }

    /// Raises this process's open-file soft limit to at least `wanted` (up to the hard limit).
    static func allowDescriptors(_ wanted: Int) {
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < rlim_t(wanted) else { return }
        limit.rlim_cur = min(limit.rlim_max, rlim_t(wanted))
        _ = setrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit)
    }
}
