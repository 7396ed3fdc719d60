import Foundation
import MailFormat
import PixelServer

/// RSA keys and certificates made by `openssl` (not by the code under test), and SNS
/// messages signed with them the way SNS signs: PKCS#1 v1.5 over `Name\nValue\n` pairs.
final class SNSTestSigner {
    let dir: URL
    /// The PEM of a self-signed certificate of `key.pem`, valid from now for two days.
    let certificate: [UInt8]
    /// The PEM of a certificate of the same key that expired in January 2020.
    let expiredCertificate: [UInt8]

    init(dir: URL) throws {
        self.dir = dir
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try Self.openssl(["genrsa", "-out", "key.pem", "2048"], in: dir)
        try Self.openssl(["genrsa", "-out", "other.pem", "2048"], in: dir)
        try Self.openssl(
            ["req", "-x509", "-new", "-key", "key.pem", "-subj", "/CN=sns.amazonaws.com", "-days", "2", "-out", "cert.pem"],
            in: dir)
        // An expired certificate needs explicit dates, which only `openssl ca` takes in OpenSSL 3.0.
        try Data().write(to: dir.appendingPathComponent("index.txt"))
        try Data("01\n".utf8).write(to: dir.appendingPathComponent("serial"))
        let config = """
            [ca]
            default_ca = test
            [test]
            dir = \(dir.path)
            database = $dir/index.txt
            new_certs_dir = $dir
            serial = $dir/serial
            default_md = sha256
            policy = any
            [any]
            commonName = supplied
            """
        try Data(config.utf8).write(to: dir.appendingPathComponent("ca.cnf"))
        try Self.openssl(["req", "-new", "-key", "key.pem", "-subj", "/CN=expired", "-out", "expired.csr"], in: dir)
        try Self.openssl(
            [
                "ca", "-config", "ca.cnf", "-selfsign", "-keyfile", "key.pem", "-in", "expired.csr", "-out", "expired.pem",
                "-startdate", "20200101000000Z", "-enddate", "20200102000000Z", "-batch", "-notext",
            ], in: dir)
        certificate = Array(try Data(contentsOf: dir.appendingPathComponent("cert.pem")))
        expiredCertificate = Array(try Data(contentsOf: dir.appendingPathComponent("expired.pem")))
    }

    /// The signed text, built here from AWS's documented rule (not with `SNSMessage.stringToSign`).
    static func stringToSign(_ fields: [String: String]) -> String {
        let names =
            fields["Type"] == "Notification"
            ? ["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"]
            : ["Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"]
        return names.compactMap { name in fields[name].map { name + "\n" + $0 + "\n" } }.joined()
    }

    /// `fields` with `SignatureVersion` and `Signature` (version 1: SHA-1, else SHA-256),
    /// signed with `key.pem`, or `other.pem` when `otherKey`.
    func signed(_ fields: [String: String], version: String, otherKey: Bool = false) throws -> [String: String] {
        let text = dir.appendingPathComponent("tosign-\(UUID().uuidString)")
        let signature = dir.appendingPathComponent("sig-\(UUID().uuidString)")
        try Data(Self.stringToSign(fields).utf8).write(to: text)
        try Self.openssl(
            [
                "dgst", version == "1" ? "-sha1" : "-sha256", "-sign", otherKey ? "other.pem" : "key.pem", "-out",
                signature.path, text.path,
            ], in: dir)
        var out = fields
        out["SignatureVersion"] = version
        out["Signature"] = try Data(contentsOf: signature).base64EncodedString()
        return out
    }

    /// The JSON body SNS would post.
    static func body(_ fields: [String: String]) -> [UInt8] {
        Array((try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])) ?? Data())
    }

    private static func openssl(_ arguments: [String], in dir: URL) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl"] + arguments
        process.currentDirectoryURL = dir
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw NSError(domain: "openssl \(arguments.first ?? "")", code: Int(process.terminationStatus))
        }
    }
}

/// Answers every GET with the document registered for its URL (else the default one) and
/// remembers each URL asked for, so tests see which URLs reached the network layer.
final class StubSNSFetcher: SNSFetcher, @unchecked Sendable {
    private let lock = NSLock()
    private var documents: [String: [UInt8]] = [:]
    private var fallback: [UInt8]?
    private var asked: [String] = []

    init(fallback: [UInt8]?) { self.fallback = fallback }

    func serve(_ document: [UInt8], at url: String) { lock.withLock { documents[url] = document } }

    var requested: [String] { lock.withLock { asked } }

    func get(_ url: URL) async throws -> [UInt8] {
        try lock.withLock {
            asked.append(url.absoluteString)
            guard let document = documents[url.absoluteString] ?? fallback else { throw SNSFetchError.status(404) }
            return document
        }
    }
}
