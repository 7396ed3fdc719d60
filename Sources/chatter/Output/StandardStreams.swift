import Foundation

/// Writes one line to standard output.
func out(_ line: String) {
    print(line)
}

/// Writes one line to standard error.
func err(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
