/// ChatterUI: the terminal front's pure core (Elm architecture).
///
/// Nothing here does I/O: no database, no clock, no terminal, no files. The
/// event loop in `ChatterRuntime` owns those and drives this module:
///
/// 1. Build the state: `AppState(me:size:keymap:display:)`, with the keymap from
///    `KeymapParser.parse(text)` of `$XDG_CONFIG_HOME/chatter/keys.conf` (post
///    its errors as `Msg.keymapErrors`), `DisplayOptions(ascii:colorMode:utcOffset:)`
///    from flags, locale, `NO_COLOR` and the time zone, and `Theme(mode:)` for
///    the backend's colour pairs (`theme.table`).
/// 2. Perform `startEffects(state)`; post `Msg.tick(now)` about once a second
///    (relative dates) and `Msg.pollerStatus` whenever the poller reports.
/// 3. For every input, call `update(&state, msg)`: keys and mouse as
///    `.key(Key)`, a resize as `.resize(Size)`, store changes as `.storeChanged`.
/// 4. Perform each returned `Effect` off the UI thread and post its answer
///    back as the `Msg` named in the effect's documentation; a failure as
///    `.effectFailed(text)`. `.quit`: restore the terminal and exit (`update`
///    has set `state.quitting`). `.redrawAll`: repaint the whole screen.
///    `.compose`: suspend the terminal, run `$EDITOR`, post, resume, then
///    `.storeChanged`. Loads may be answered out of order: `update` drops an
///    answer whose query no longer matches the state.
/// 5. After draining the inbox, `render(state, into: &grid)` a fresh
///    `Grid(size: state.size)` and diff it against the last frame.
///
/// Keep `state.size` equal to the terminal's size (mouse hit-testing and page
/// sizes use it).
public enum ChatterUI {}
