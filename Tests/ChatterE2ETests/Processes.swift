import Foundation
import Glibc

/// Child processes by parent pid, from /proc (to signal the front inside a tmux pane).
enum Processes {
    static func children(of parent: Int32) -> [Int32] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        return entries.compactMap { name -> Int32? in
            guard let pid = Int32(name),
                let stat = try? String(contentsOfFile: "/proc/\(name)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { return nil }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 1, Int32(fields[1]) == parent else { return nil }
            return pid
        }
    }

    /// Waits up to `timeout` seconds for the pane shell's child (the front) to appear.
    static func waitChild(of parent: Int32, timeout: Double = 5) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let pid = children(of: parent).first { return pid }
            usleep(20_000)
        }
        return nil
    }
}
