/// What one Dockerfile instruction says, with its words as written (unexpanded; see `expanded`).
public enum Command: Sendable, Equatable {
    case from(image: String, stageName: String?, platform: String?)
    case run(CommandForm)
    case cmd(CommandForm)
    case entrypoint(CommandForm)
    /// Always given in JSON form.
    case shell([String])
    case env([KeyValue])
    case label([KeyValue])
    case arg([ArgDeclaration])
    case copy(FileCopy)
    case add(FileCopy)
    case expose([String])
    case volume([String])
    case user(String)
    case workdir(String)
    case stopSignal(String)
    case healthcheck(Healthcheck)
    /// The trigger, as text after `ONBUILD` (e.g. `RUN echo hi`), checked as dockerd checks it.
    case onbuild(String)
    case maintainer(String)
}

/// The command of `RUN`, `CMD`, `ENTRYPOINT` and `HEALTHCHECK CMD`.
///
/// `.shell` holds the text handed to the shell (`SHELL`, by default `/bin/sh -c`); `.shell("")` is
/// an instruction with no arguments, for which dockerd uses the shell prefix alone (`RUN`, `CMD`).
/// An `ENTRYPOINT` with no arguments, or `ENTRYPOINT []`, is `.exec([])`: it clears the entrypoint.
public enum CommandForm: Sendable, Equatable {
    case shell(String)
    case exec([String])
}
