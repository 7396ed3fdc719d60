import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A minimal blocking HTTP/1.1 client over one keep-alive connection, so the
/// tests see the exact bytes of every response.
final class HTTPProbe {
    struct Response {
        var status: Int
        /// Header lines as received, in order (name: value).
        var headers: [String]
        var body: [UInt8]
    }

    private let fd: Int32
    private var pending: [UInt8] = []

    init(port: Int) throws {
        fd = try connectLoopback(port: port)
    }

    deinit { close(fd) }

    func get(_ path: String, headers: [String] = []) throws -> Response {
        try exchange(method: "GET", path, headers: headers, body: nil)
    }

    /// A HEAD: the answer's headers only (no body is read whatever its Content-Length says).
    func head(_ path: String) throws -> Response {
        try exchange(method: "HEAD", path, headers: [], body: nil)
    }

    /// A POST with `body` (Content-Length set).
    func post(_ path: String, headers: [String] = [], body: [UInt8]) throws -> Response {
        try exchange(method: "POST", path, headers: headers + ["Content-Length: \(body.count)"], body: body)
    }

    private func exchange(method: String, _ path: String, headers: [String], body: [UInt8]?) throws -> Response {
        let request = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers.map { $0 + "\r\n" }.joined() + "\r\n"
        let bytes = Array(request.utf8) + (body ?? [])
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { throw NSError(domain: "probe", code: Int(errno)) }
            sent += n
        }
        let head = try readUntilBlankLine()
        let lines = String(decoding: head, as: UTF8.self).components(separatedBy: "\r\n").filter { !$0.isEmpty }
        let status = Int(lines.first?.split(separator: " ").dropFirst().first ?? "") ?? 0
        let headerLines = Array(lines.dropFirst())
        let length = headerLines.compactMap { line -> Int? in
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "content-length" else { return nil }
            return Int(parts[1].trimmingCharacters(in: .whitespaces))
        }.first ?? 0
        return Response(status: status, headers: headerLines, body: try read(count: method == "HEAD" ? 0 : length))
    }

    private func fill() throws {
        var buffer = [UInt8](repeating: 0, count: 65536)
        let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { throw NSError(domain: "probe closed", code: Int(errno)) }
        pending += buffer[0..<n]
    }

    private func readUntilBlankLine() throws -> [UInt8] {
        while true {
            if let r = find([13, 10, 13, 10]) {
                let head = Array(pending[0..<r])
                pending.removeFirst(r + 4)
                return head
            }
            try fill()
        }
    }

    private func read(count: Int) throws -> [UInt8] {
        while pending.count < count { try fill() }
        let out = Array(pending[0..<count])
        pending.removeFirst(count)
        return out
    }

    private func find(_ needle: [UInt8]) -> Int? {
        guard pending.count >= needle.count else { return nil }
        for i in 0...(pending.count - needle.count) where pending[i] == needle[0] {
            if Array(pending[i..<(i + needle.count)]) == needle { return i }
        }
        return nil
    }
}

/// A blocking TCP socket connected to 127.0.0.1:`port` (the caller closes it).
func connectLoopback(port: Int) throws -> Int32 {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_port = in_port_t(UInt16(port).bigEndian)
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    let rc = withUnsafePointer(to: &addr) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard rc == 0 else {
        let code = errno
        close(fd)
        throw NSError(domain: "connect", code: Int(code))
    }
    return fd
}
