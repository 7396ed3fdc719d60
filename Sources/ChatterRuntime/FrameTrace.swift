import Foundation
import Glibc

/// `--trace-file PATH`: one line per event the benchmark reads, measured inside.
///
/// ```
/// frame first exec_us=41230 run_us=30112 realtime_ns=1764080000123456789
/// frame full exec_us=58000 run_us=46902 realtime_ns=1764080000140246789
/// key 812 j render_us=420 present_us=310
/// ```
///
/// `frame first` is the first frame written, `frame full` the first one with
/// the thread list and the Failed counter, `frame inbox` the first with the
/// Inbox count too (a full count of a big store), `frame threads` each later frame whose
/// thread list changed (a store change reaching the screen); `exec_us` counts from the process start
/// (the kernel's start time, 10 ms granularity), `run_us` from the front's
/// entry, `realtime_ns` is the wall clock (to compare with a timestamp taken
/// before exec). `key US NAME`: microseconds from reading the key to its frame
/// flushed to the terminal, with the frame's render and diff+write shares.
public final class FrameTrace {
    private let handle: FileHandle
    private let runStart: UInt64

    /// Creates (or empties) the trace file; `runStart` is `monotonicNs()` at the front's entry.
    public init(path: String, runStart: UInt64) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil) , let h = FileHandle(forWritingAtPath: path)
        else { throw FrontError("cannot write the trace file \(path)") }
        handle = h
        self.runStart = runStart
    }

    deinit { try? handle.close() }

    /// A frame milestone (`first`, `full`).
    func frame(_ name: String) {
        let now = Self.monotonicNs()
        let exec = Self.processStartNs().map { String((Self.bootNs() - $0) / 1000) } ?? "?"
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        let real = UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
        write("frame \(name) exec_us=\(exec) run_us=\((now - runStart) / 1000) realtime_ns=\(real)")
    }

    /// A key handled, read at `readAt` (monotonic ns), its frame flushed now.
    func key(_ name: String, readAt: UInt64, renderNs: UInt64, presentNs: UInt64) {
        write("key \((Self.monotonicNs() - readAt) / 1000) \(name) render_us=\(renderNs / 1000) present_us=\(presentNs / 1000)")
    }

    private func write(_ line: String) {
        handle.write(Data((line + "\n").utf8))
    }

    /// CLOCK_MONOTONIC in nanoseconds.
    public static func monotonicNs() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    /// CLOCK_BOOTTIME in nanoseconds (the clock /proc's start times count on).
    static func bootNs() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_BOOTTIME, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    /// This process's start, from field 22 of /proc/self/stat (clock ticks since boot).
    static func processStartNs() -> UInt64? {
        guard let text = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
            let close = text.lastIndex(of: ")")
        else { return nil }
        // Fields after the command name (which may hold spaces) start at field 3.
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 19, let ticks = UInt64(fields[19]) else { return nil }
        let hz = UInt64(max(1, sysconf(Int32(_SC_CLK_TCK))))
        return ticks * 1_000_000_000 / hz
    }
}
