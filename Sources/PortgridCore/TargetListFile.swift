/// The target list files `-iL` and `--excludefile` read, as nmap reads them: targets separated by
/// spaces, tabs or line ends; from `#` to the end of a line is a comment.
public enum TargetListFile {
    public static func targets(in text: String) -> [String] {
        text.split(omittingEmptySubsequences: true, whereSeparator: \.isNewline).flatMap { line in
            line.prefix { $0 != "#" }.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }).map(String.init)
        }
    }
}
