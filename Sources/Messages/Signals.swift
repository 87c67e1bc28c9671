import Glibc

/// Signal names and numbers as `docker kill --signal`, `StopSignal` and a Dockerfile's `STOPSIGNAL`
/// accept them.
public enum Signals {
    private static let numbers: [String: Int32] = [
        "ABRT": SIGABRT, "ALRM": SIGALRM, "BUS": SIGBUS, "CHLD": SIGCHLD, "CONT": SIGCONT, "FPE": SIGFPE, "HUP": SIGHUP,
        "ILL": SIGILL, "INT": SIGINT, "IO": SIGIO, "IOT": SIGIOT, "KILL": SIGKILL, "PIPE": SIGPIPE, "POLL": SIGPOLL,
        "PROF": SIGPROF, "PWR": SIGPWR, "QUIT": SIGQUIT, "SEGV": SIGSEGV, "STKFLT": SIGSTKFLT, "STOP": SIGSTOP,
        "SYS": SIGSYS, "TERM": SIGTERM, "TRAP": SIGTRAP, "TSTP": SIGTSTP, "TTIN": SIGTTIN, "TTOU": SIGTTOU, "URG": SIGURG,
        "USR1": SIGUSR1, "USR2": SIGUSR2, "VTALRM": SIGVTALRM, "WINCH": SIGWINCH, "XCPU": SIGXCPU, "XFSZ": SIGXFSZ,
    ]

    /// `SIGTERM`, `TERM`, `term`, `15`, `SIGRTMIN+3`; an unknown one is a 400.
    public static func parse(_ text: String) throws -> Int32 {
        if let number = Int32(text), number > 0, number <= 64 { return number }
        var name = text.uppercased()
        if name.hasPrefix("SIG") { name.removeFirst(3) }
        if let number = numbers[name] { return number }
        let realtime = #/RTMIN(\+([0-9]+))?/#
        if let match = name.wholeMatch(of: realtime) {
            // An offset too large for Int32 is an unknown signal, not RTMIN.
            let offset: Int32? = match.2.map { Int32($0) } ?? 0
            if let offset, offset <= 30 { return 34 + offset }
        }
        if let match = name.wholeMatch(of: #/RTMAX-([0-9]+)/#), let offset = Int32(match.1), offset <= 30 { return 64 - offset }
        throw EngineError.invalidArgument("Invalid signal: \(text)")
    }
}
