import Foundation
import Glibc
import TrackingModel

/// The `c` flow: a plain-text template edited in `$VISUAL` / `$EDITOR`, read
/// back as a post. The template has To / Cc / Subject lines, a blank line and
/// the body; `#` lines in the header part are help. An empty or unchanged
/// file cancels.
enum Compose {
    /// What the user wrote, or why nothing is posted.
    enum Outcome: Equatable {
        case post(to: [String], cc: [String], subject: String, body: String)
        case cancelled
    }

    /// The template a new message in `thread` starts from.
    static func template(threadName: String) -> String {
        """
        To: 
        Cc: 
        Subject: 
        # New message in \(threadName.replacingOccurrences(of: "\n", with: " ")).
        # To and Cc take address lists (a, b, "Name" <c@d>); the body follows the blank line.
        # Leave the file unchanged or empty to cancel.


        """
    }

    /// Reads an edited template back.
    static func parse(_ text: String, template: String) -> Outcome {
        if text == template || text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return .cancelled }
        var to: [String] = [], cc: [String] = [], subject = ""
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        while let line = lines.first {
            lines.removeFirst()
            if line.trimmingCharacters(in: .whitespaces).isEmpty { break }
            if line.hasPrefix("#") { continue }
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            switch name {
            case "to": if !value.isEmpty { to.append(value) }
            case "cc": if !value.isEmpty { cc.append(value) }
            case "subject": subject = value
            default: continue
            }
        }
        let body = lines.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        if to.isEmpty && cc.isEmpty && subject.isEmpty && body.isEmpty { return .cancelled }
        return .post(to: to, cc: cc, subject: subject, body: body)
    }

    /// Runs the editor on a fresh template file and reads the result. The
    /// caller has handed the terminal over (suspend) before and takes it back after.
    static func edit(threadName: String) throws -> Outcome {
        let template = template(threadName: threadName)
        let path = (NSTemporaryDirectory() as NSString).appendingPathComponent("chatter-compose-\(getpid())-\(UUID().uuidString).txt")
        guard FileManager.default.createFile(atPath: path, contents: Data(template.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw FrontError("cannot write the compose file \(path)")
        }
        defer { try? FileManager.default.removeItem(atPath: path) }
        // The path goes through the environment, never through the shell's parser.
        setenv("CHATTER_COMPOSE_FILE", path, 1)
        let status = system("${VISUAL:-${EDITOR:-vi}} \"$CHATTER_COMPOSE_FILE\"")
        unsetenv("CHATTER_COMPOSE_FILE")
        guard status == 0 else { return .cancelled }
        guard let data = FileManager.default.contents(atPath: path) else { return .cancelled }
        return parse(String(decoding: data, as: UTF8.self), template: template)
    }
}
