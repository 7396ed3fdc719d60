import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// The reply of each RCPT of a transaction, and the final reply when DATA went out.
public struct SMTPTransactionResult: Sendable, Hashable {
    /// The recipients tried, in order, and the reply to each one's RCPT.
    public var addresses: [String] = []
    public var replies: [SMTPReply] = []
    /// Why the mail was not even offered: it exceeds the server's SIZE, or needs SMTPUTF8 the server lacks.
    public var unsendable: Unsendable?
    /// MAIL FROM's reply when it was not positive (no RCPT was tried).
    public var mailReply: SMTPReply?
    /// DATA's reply when it was not 354 (nothing was sent).
    public var dataReply: SMTPReply?
    /// The reply to the final "." (nil: not reached).
    public var finalReply: SMTPReply?
}

/// A mail the server cannot take as it announced itself (checked before MAIL FROM).
public struct Unsendable: Sendable, Hashable {
    /// `too_large` or `smtputf8_unsupported`.
    public var errorType: String
    public var reason: String
}

/// One SMTP client session over SwiftNIO: greeting, EHLO (HELO fallback),
/// STARTTLS, AUTH PLAIN / LOGIN, then any number of mail transactions with
/// per-recipient RCPT replies, SIZE / 8BITMIME / SMTPUTF8 / DSN parameters when
/// the server offers them. Driven by one task at a time.
public final class SMTPSession {
    private let channel: any Channel
    private let queue: SMTPReplyQueue
    private let config: SMTPConfig
    /// The server's EHLO keywords (upper-cased) and their parameters.
    public private(set) var capabilities: [String: String] = [:]
    /// True once the connection is protected by TLS.
    public private(set) var isTLS = false

    private init(channel: any Channel, queue: SMTPReplyQueue, config: SMTPConfig) {
        self.channel = channel
        self.queue = queue
        self.config = config
    }

    /// Connects, reads the greeting, says EHLO, upgrades to TLS and authenticates as configured.
    public static func open(_ config: SMTPConfig, group: any EventLoopGroup) async throws -> SMTPSession {
        let queue = SMTPReplyQueue()
        var sslContext: NIOSSLContext?
        if config.security != .none {
            var tls = TLSConfiguration.makeClientConfiguration()
            if !config.verifyCertificate { tls.certificateVerification = .none }
            do { sslContext = try NIOSSLContext(configuration: tls) } catch { throw SMTPError.tls(String(describing: error)) }
        }
        let implicitTLS = config.security == .tls ? sslContext : nil
        let hostname = Self.isIPAddress(config.host) ? nil : config.host
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: group)
                .connectTimeout(config.timeouts.connect.timeAmount)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if let implicitTLS {
                            try channel.pipeline.syncOperations.addHandler(
                                NIOSSLClientHandler(context: implicitTLS, serverHostname: hostname))
                        }
                        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(SMTPReplyDecoder()))
                        try channel.pipeline.syncOperations.addHandler(queue)
                    }
                }
                .connect(host: config.host, port: config.port).get()
        } catch {
            throw SMTPError.connection("\(config.serverName): \(error)")
        }
        let session = SMTPSession(channel: channel, queue: queue, config: config)
        session.isTLS = implicitTLS != nil
        do {
            let greeting = try await session.reply(timeout: config.timeouts.greeting, stage: "greeting")
            guard greeting.code == 220 else { throw SMTPError.refused(stage: "greeting", reply: greeting) }
            try await session.hello()
            if config.security == .starttls || config.security == .opportunistic, !session.isTLS {
                if session.capabilities["STARTTLS"] != nil, let sslContext {
                    let r = try await session.command("STARTTLS", timeout: config.timeouts.command, stage: "STARTTLS")
                    guard r.code == 220 else { throw SMTPError.refused(stage: "STARTTLS", reply: r) }
                    try await channel.eventLoop.flatSubmit {
                        channel.eventLoop.makeCompletedFuture {
                            try channel.pipeline.syncOperations.addHandler(
                                NIOSSLClientHandler(context: sslContext, serverHostname: hostname), position: .first)
                        }
                    }.get()
                    session.isTLS = true
                    try await session.hello()
                } else if config.security == .starttls {
                    throw SMTPError.tls("\(config.serverName) does not offer STARTTLS, and it is required")
                }
            }
            if let user = config.user {
                // The password never goes out in clear unless the user chose `none` (an error of the
                // transport's, so the mail is retried later and no recipient is marked bounced).
                guard session.isTLS || config.security == .none else {
                    throw SMTPError.tls(
                        "\(config.serverName) offers no STARTTLS: not sending the AUTH password in clear text "
                            + "(choose --smtp-security none to allow it)")
                }
                try await session.authenticate(user: user, password: config.password ?? "")
            }
        } catch {
            await session.close()
            throw error
        }
        return session
    }

    private static func isIPAddress(_ host: String) -> Bool {
        (try? SocketAddress(ipAddress: host, port: 0)) != nil
    }

    private func hello() async throws {
        let r = try await command("EHLO \(config.heloName)", timeout: config.timeouts.command, stage: "EHLO")
        if r.code == 250 {
            var caps: [String: String] = [:]
            for line in r.lines.dropFirst() {
                let parts = line.split(separator: " ", maxSplits: 1)
                guard let key = parts.first else { continue }
                caps[key.uppercased()] = parts.count > 1 ? String(parts[1]) : ""
            }
            capabilities = caps
            return
        }
        let h = try await command("HELO \(config.heloName)", timeout: config.timeouts.command, stage: "HELO")
        guard h.code == 250 else { throw SMTPError.refused(stage: "HELO", reply: h) }
        capabilities = [:]
    }

    private func authenticate(user: String, password: String) async throws {
        let mechanisms = Set((capabilities["AUTH"] ?? "").uppercased().split(separator: " ").map(String.init))
        let t = config.timeouts.command
        if mechanisms.contains("PLAIN") {
            let token = Data(([0] + Array(user.utf8) + [0] + Array(password.utf8))).base64EncodedString()
            let r = try await command("AUTH PLAIN \(token)", timeout: t, stage: "AUTH")
            guard r.code == 235 else { throw SMTPError.refused(stage: "AUTH PLAIN", reply: r) }
        } else if mechanisms.contains("LOGIN") {
            var r = try await command("AUTH LOGIN", timeout: t, stage: "AUTH")
            guard r.code == 334 else { throw SMTPError.refused(stage: "AUTH LOGIN", reply: r) }
            r = try await command(Data(user.utf8).base64EncodedString(), timeout: t, stage: "AUTH")
            guard r.code == 334 else { throw SMTPError.refused(stage: "AUTH LOGIN", reply: r) }
            r = try await command(Data(password.utf8).base64EncodedString(), timeout: t, stage: "AUTH")
            guard r.code == 235 else { throw SMTPError.refused(stage: "AUTH LOGIN", reply: r) }
        } else {
            throw SMTPError.refused(
                stage: "AUTH", reply: SMTPReply(code: 504, lines: ["the server offers neither AUTH PLAIN nor LOGIN"]))
        }
    }

    /// One mail transaction: MAIL FROM, one RCPT per recipient (each reply kept),
    /// DATA only when at least one recipient was accepted. A failed transaction
    /// is reset (RSET) so the session can go on.
    public func transaction(from: String, recipients: [String], data: [UInt8], envelopeId: String?, smtpUTF8: Bool)
        async throws -> SMTPTransactionResult
    {
        let t = config.timeouts
        var result = SMTPTransactionResult()
        var mail = "MAIL FROM:<\(from)>"
        if let size = capabilities["SIZE"] {
            mail += " SIZE=\(data.count)"
            if let limit = Int(size), limit > 0, data.count > limit {
                result.unsendable = Unsendable(errorType: "too_large", reason: "message of \(data.count) bytes exceeds the server's SIZE \(limit)")
                return result
            }
        }
        let eightBit = data.contains { $0 >= 128 }
        if eightBit && capabilities["8BITMIME"] != nil { mail += " BODY=8BITMIME" }
        if smtpUTF8 {
            guard capabilities["SMTPUTF8"] != nil else {
                result.unsendable = Unsendable(errorType: "smtputf8_unsupported", reason: "a non-ASCII address needs SMTPUTF8, which the server does not offer")
                return result
            }
            mail += " SMTPUTF8"
        }
        let dsn = config.requestDSN && capabilities["DSN"] != nil
        if dsn, let envelopeId { mail += " RET=HDRS ENVID=\(Self.xtext(envelopeId))" }
        let m = try await command(mail, timeout: t.mail, stage: "MAIL")
        guard m.code == 250 else {
            result.mailReply = m
            try await reset()
            return result
        }
        var accepted = 0
        for r in recipients {
            var line = "RCPT TO:<\(r)>"
            if dsn { line += " NOTIFY=FAILURE,DELAY ORCPT=rfc822;\(Self.xtext(r))" }
            let reply = try await command(line, timeout: t.rcpt, stage: "RCPT")
            result.addresses.append(r)
            result.replies.append(reply)
            if reply.code == 250 || reply.code == 251 { accepted += 1 }
        }
        guard accepted > 0 else {
            try await reset()
            return result
        }
        let d = try await command("DATA", timeout: t.dataInit, stage: "DATA")
        guard d.code == 354 else {
            result.dataReply = d
            try await reset()
            return result
        }
        try await write(Self.dotStuffed(data))
        do {
            result.finalReply = try await reply(timeout: t.dataTermination, stage: "end of data")
        } catch {
            throw SMTPSessionError.afterData(error, result)
        }
        return result
    }

    /// Ends the session politely (QUIT), then closes the connection.
    public func quit() async {
        _ = try? await command("QUIT", timeout: min(config.timeouts.command, 5), stage: "QUIT")
        await close()
    }

    /// Closes the connection without a word.
    public func close() async {
        try? await channel.close().get()
    }

    private func reset() async throws {
        let r = try await command("RSET", timeout: config.timeouts.command, stage: "RSET")
        guard r.code == 250 else { throw SMTPError.refused(stage: "RSET", reply: r) }
    }

    func command(_ line: String, timeout: Double, stage: String) async throws -> SMTPReply {
        try await write(Array((line + "\r\n").utf8))
        return try await reply(timeout: timeout, stage: stage)
    }

    private func write(_ bytes: [UInt8]) async throws {
        do {
            try await channel.writeAndFlush(channel.allocator.buffer(bytes: bytes))
        } catch {
            // A failed TLS handshake closes the channel under the pending write: the cause is the one the queue saw.
            let queue = self.queue
            let cause = try? await channel.eventLoop.submit { queue.failureDescription }.get()
            throw SMTPError.connection("write: " + (cause ?? String(describing: error)))
        }
    }

    private func reply(timeout: Double, stage: String) async throws -> SMTPReply {
        let queue = self.queue
        let loop = channel.eventLoop
        return try await loop.flatSubmit { queue.next(on: loop, timeout: timeout.timeAmount, stage: stage) }.get()
    }

    /// The data with "." doubled at line starts, CRLF line ends, and the final ".".
    static func dotStuffed(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(data.count + 64)
        var lineStart = true
        var previous: UInt8 = 0
        for b in data {
            if b == UInt8(ascii: "\n") && previous != UInt8(ascii: "\r") { out.append(UInt8(ascii: "\r")) }
            if lineStart && b == UInt8(ascii: ".") { out.append(UInt8(ascii: ".")) }
            out.append(b)
            lineStart = b == UInt8(ascii: "\n")
            previous = b
        }
        if !lineStart { out += Array("\r\n".utf8) }
        out += Array(".\r\n".utf8)
        return out
    }

    /// RFC 3461 xtext: "+" and "=", controls and non-ASCII as "+HH".
    static func xtext(_ s: String) -> String {
        var out = ""
        for b in s.utf8 {
            if b < 33 || b > 126 || b == UInt8(ascii: "+") || b == UInt8(ascii: "=") {
                out += String(format: "+%02X", b)
            } else {
                out.append(Character(UnicodeScalar(b)))
            }
        }
        return out
    }
}

/// The session failed after the message data had been sent: the server may have it.
/// The transaction so far comes with it: a recipient refused at RCPT is known not to.
public enum SMTPSessionError: Error {
    case afterData(any Error, SMTPTransactionResult)
}
