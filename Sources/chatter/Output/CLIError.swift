import TrackingStore

/// Errors of the command line, with their exit codes.
enum CLIError: Error, CustomStringConvertible {
    case usage(String)
    case notFound(String)

    var description: String {
        switch self {
        case .usage(let m), .notFound(let m): return m
        }
    }
}

/// Exit codes of the contract: 0 ok, 1 usage or bad input, 2 not found, 3 store error.
enum ExitStatus {
    static func code(for error: any Error) -> Int32 {
        switch error {
        case let e as CLIError:
            switch e {
            case .usage: return 1
            case .notFound: return 2
            }
        case let e as StoreError:
            switch e {
            case .invalidInput: return 1
            case .notFound: return 2
            case .newerSchema, .notAStore, .storage: return 3
            }
        default: return 1
        }
    }
}
