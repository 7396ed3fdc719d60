import ChatterUI
import CursesTerminal
import Foundation

extension Front {
    /// `chatter ui`: runs the front on the real terminal until the user quits,
    /// then gives the terminal back. Colours follow the terminal, `NO_COLOR`
    /// and `mono`; ASCII follows `ascii` and the locale.
    public static func runInTerminal(
        store: any FrontStore, changes: any ChangeSource, configuration: FrontConfiguration, trace: FrameTrace?
    ) throws {
        let front = try Front(store: store, changes: changes, configuration: configuration)
        let terminal = try CursesTerminal(options: .init(monochrome: configuration.mono))
        let env = ProcessInfo.processInfo.environment
        let colorMode = ColorMode.choose(
            terminalColors: terminal.colorCount, noColor: !(env["NO_COLOR"] ?? "").isEmpty, mono: configuration.mono)
        terminal.setPalette(Dictionary(Theme(mode: colorMode).table, uniquingKeysWith: { first, _ in first }))
        let display = DisplayOptions(
            ascii: configuration.ascii || !terminal.isUTF8Locale, colorMode: colorMode,
            utcOffset: TimeZone.current.secondsFromGMT())
        let loop = front.start(on: terminal, keys: terminal, display: display, trace: trace)
        while loop.step() {}
        front.stop()
        terminal.restore()
    }
}
