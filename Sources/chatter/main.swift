import ArgumentParser

@main
struct Chatter: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chatter",
        abstract: "Outgoing email tracking in the terminal.")
}
