import Foundation
import TestSupport

/// The built `chatter` as the CLI tests call it (`TestSupport.ChatterBinary`).
enum Chatter {
    typealias Result = ChatterBinary.Result

    static var binary: URL { ChatterBinary.url }

    /// Runs chatter with arguments and optional standard input; waits for it.
    static func run(_ args: [String], stdin: String? = nil, env: [String: String] = [:]) throws -> Result {
        try ChatterBinary.run(args, stdin: stdin.map { Data($0.utf8) }, env: env)
    }

    /// `chatter failed --count` for the store's default user, or `me`.
    static func failedTotal(db: String, me: [String] = []) throws -> Int {
        let r = try run(["failed", "--count", "--db", db] + me)
        return Int(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }
}
