import ArgumentParser
import TrackingModel

/// Paging options of listings.
struct PageOptions: ParsableArguments {
    @Option(name: .long, help: "At most this many rows (0 = all).")
    var limit: Int = 100

    @Option(name: .long, help: "Continue after this cursor (TIME:ID, printed at the end of a full page).")
    var after: String?

    func cursor() throws -> PageCursor? {
        guard let after else { return nil }
        guard let c = PageCursor(parsing: after) else { throw CLIError.usage("--after wants TIME:ID, got \(after)") }
        return c
    }

    var pageLimit: Int { limit <= 0 ? Int.max / 2 : limit }
}
