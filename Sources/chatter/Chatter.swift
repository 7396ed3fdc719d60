import ArgumentParser
import Foundation
import TrackingStore

/// The `chatter` command: the terminal front (`ui`, the default) and every scriptable use case.
@main
struct Chatter: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chatter",
        abstract: "Outgoing email tracking in the terminal.",
        version: BuildVersion.text,
        subcommands: [
            DemoCommand.self, PartnerCommand.self, PartnersCommand.self, PostCommand.self, EventCommand.self,
            ThreadsCommand.self, ThreadCommand.self, FailedCommand.self, TrackingsCommand.self, EventsCommand.self,
            StatsCommand.self, ReviewCommand.self, UnreviewCommand.self, RetryCommand.self,
            IngestCommand.self, PollCommand.self, QuarantineCommand.self, UnmatchedCommand.self,
            SendCommand.self, OutboxCommand.self, ServeCommand.self, GcCommand.self, StoreCommand.self,
            UICommand.self,
        ],
        defaultSubcommand: UICommand.self)

    /// Runs a command with the contract's exit codes: 0 ok, 1 usage or bad input,
    /// 2 not found, 3 store error; an error is one line on stderr.
    static func main() {
        do {
            let names = Set(configuration.subcommands.compactMap { $0.configuration.commandName })
            let arguments = GlobalArgumentOrder.rearranged(Array(CommandLine.arguments.dropFirst()), subcommands: names)
            var command = try parseAsRoot(arguments)
            try StoreLocationChoice.mappingErrors { try command.run() }
        } catch let e as CLIError {
            err("chatter: \(e)")
            Foundation.exit(ExitStatus.code(for: e))
        } catch let e as StoreError {
            err("chatter: \(e)")
            Foundation.exit(ExitStatus.code(for: e))
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                exit(withError: error)
            }
            err(fullMessage(for: error))
            Foundation.exit(1)
        }
    }
}
