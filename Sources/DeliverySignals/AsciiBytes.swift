/// Whether a byte is an ASCII digit (the byte-level parsers' shared test).
@inline(__always)
func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
