import CNCursesW
import CTerminalSupport
import Glibc
import TermGrid

extension CursesTerminal {
    /// The next key, mouse or resize event, waiting up to `timeoutMs` (0: don't wait, negative: wait forever).
    ///
    /// Returns nil when nothing came in time. After poll(2) reports `inputFD` or
    /// `resizeFD` readable, call this with 0 until it returns nil: curses may
    /// hold several keys read in one go.
    public func readKey(timeoutMs: Int) -> Key? {
        guard !restored, !suspended else { return nil }
        if let resized = takeResize(force: false) { return resized }
        var wait = Int32(clamping: max(-1, timeoutMs))
        while true {
            wtimeout(window, wait)
            var ch: UInt32 = 0
            let r = cnc_get_wch(window, &ch)
            if r == cnc_err() { return takeResize(force: false) }
            if r == cnc_key_code_yes() {
                let code = Int32(bitPattern: ch)
                if code == cnc_key_resize() {
                    // curses queues one after resizeterm; report a size only when it changed.
                    let now = Size(width: Int(cnc_cols()), height: Int(cnc_lines()))
                    if now == size { wait = 0; continue }
                    size = now
                    return .resize(now)
                }
                if code == cnc_key_mouse() { return readMouse() }
                return Self.decodeKeyCode(code)
            }
            return Self.decodeChar(ch)
        }
    }

    /// Reads the resize pipe; when SIGWINCH came (or `force`), resizes curses to the kernel's size.
    func takeResize(force: Bool) -> Key? {
        var buf = [UInt8](repeating: 0, count: 64)
        var signalled = false
        while read(resizePipe.read, &buf, buf.count) > 0 { signalled = true }
        guard signalled || force else { return nil }
        var rows: Int32 = 0, cols: Int32 = 0
        guard ctr_window_size(STDOUT_FILENO, &rows, &cols) == 0 else { return nil }
        let now = Size(width: Int(cols), height: Int(rows))
        guard now != size || force else { return nil }
        resizeterm(rows, cols)
        size = Size(width: Int(cnc_cols()), height: Int(cnc_lines()))
        redrawAll()
        return .resize(size)
    }

    func readMouse() -> Key? {
        var event = MEVENT()
        guard getmouse(&event) == cnc_ok() else { return .unknown("mouse") }
        let b = event.bstate
        let kind: MouseEvent.Kind
        if b & cnc_button4_pressed() != 0 {
            kind = .scrollUp
        } else if b & cnc_button5_pressed() != 0 {
            kind = .scrollDown
        } else if b & (cnc_button1_pressed() | cnc_button1_clicked()) != 0 {
            kind = .press
        } else if b & cnc_button1_released() != 0 {
            kind = .release
        } else {
            return .unknown("mouse")
        }
        return .mouse(MouseEvent(x: Int(event.x), y: Int(event.y), kind: kind))
    }

    /// A character from get_wch: controls become named keys or `.ctrl`, the rest `.char`.
    static func decodeChar(_ ch: UInt32) -> Key {
        switch ch {
        case 0x1B: return .escape
        case 0x0D, 0x0A: return .enter
        case 0x09: return .tab
        case 0x7F, 0x08: return .backspace
        case 0x00: return .ctrl(" ")
        case 0x01...0x1A: return .ctrl(Character(Unicode.Scalar(UInt8(ch) + 0x60)))
        case 0x1C...0x1F: return .ctrl(Character(Unicode.Scalar(UInt8(ch) + 0x40)))
        case 0x80...0x9F: return .unknown("C1 \(ch)")
        default:
            guard let s = Unicode.Scalar(ch) else { return .unknown("invalid \(ch)") }
            return .char(Character(s))
        }
    }

    /// A curses key code (KEY_*) as a Key.
    static func decodeKeyCode(_ code: Int32) -> Key {
        switch code {
        case cnc_key_up(): return .up
        case cnc_key_down(): return .down
        case cnc_key_left(): return .left
        case cnc_key_right(): return .right
        case cnc_key_home(), cnc_key_find(), cnc_key_a1(): return .home
        case cnc_key_end(), cnc_key_select(), cnc_key_c1(): return .end
        case cnc_key_ppage(), cnc_key_a3(): return .pageUp
        case cnc_key_npage(), cnc_key_c3(): return .pageDown
        case cnc_key_btab(): return .backTab
        case cnc_key_enter(): return .enter
        case cnc_key_backspace(): return .backspace
        case cnc_key_dc(): return .delete
        case (cnc_key_f0() + 1)...(cnc_key_f0() + 12): return .function(Int(code - cnc_key_f0()))
        default:
            let name = keyname(code).map { String(cString: $0) } ?? "key \(code)"
            return .unknown(name)
        }
    }
}
