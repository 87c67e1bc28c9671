import Supervision
import Synchronization

/// What one fake child answers, method by method, and what it was asked.
///
/// A test scripts a method with `on(_:_:)`: its answers are given out in order, the last one again and
/// again. An unscripted method answers its fake's default (nothing for a command, an empty list, `nil`)
/// or, where there is no sensible default, fails with `FakeError.unscripted`. Every call is recorded,
/// with its arguments as text, before it is answered.
public final class FakeScript: Sendable {
    /// A scripted answer.
    public indirect enum Answer: Sendable {
        /// This reply (its type must be the method's).
        case value(any Sendable)
        /// This error.
        case failure(any Error)
        /// The answer after this delay on the tree's clock.
        case after(Duration, Answer)
        /// No answer until the request is given up (timeout, cancellation).
        case hang
        /// The fake's incarnation fails in the middle of the call, so the supervisor restarts it; the
        /// caller sees the child stop while handling its request.
        case crash
    }

    /// One call received.
    public struct Call: Sendable, Equatable, CustomStringConvertible {
        public var method: String
        public var arguments: [String]
        public var description: String { "\(method)(\(arguments.joined(separator: ", ")))" }
    }

    private struct State {
        var answers: [String: [Answer]] = [:]
        var calls: [Call] = []
        var callWaiters: [(method: String, count: Int, continuation: CheckedContinuation<Void, Never>)] = []
        var crash = OneShot<Void>()

        mutating func nextAnswer(for method: String) -> Answer? {
            guard var queue = answers[method], let first = queue.first else { return nil }
            if queue.count > 1 {
                queue.removeFirst()
                answers[method] = queue
            }
            return first
        }

        mutating func takeSatisfiedWaiters() -> [CheckedContinuation<Void, Never>] {
            let counts = Dictionary(grouping: calls, by: \.method).mapValues(\.count)
            let satisfied = callWaiters.filter { counts[$0.method, default: 0] >= $0.count }
            callWaiters.removeAll { counts[$0.method, default: 0] >= $0.count }
            return satisfied.map(\.continuation)
        }
    }

    private let state = Mutex(State())
    private let child: String
    private let clock: any SupervisionClock
    private let log: FakeCallLog

    /// - Parameters:
    ///   - child: the name of the child the fake stands in for.
    ///   - clock: what `.after` delays sleep on (the tree's `VirtualClock`).
    ///   - log: where the calls are also written, with those of the tree's other fakes.
    public init(child: String, clock: any SupervisionClock, log: FakeCallLog = FakeCallLog()) {
        self.child = child
        self.clock = clock
        self.log = log
    }

    /// Scripts `method` (its name without arguments: `"createTask"`) to give out `answers` in order,
    /// the last one for every later call. Replaces what `method` was scripted to answer before.
    public func on(_ method: String, _ answers: Answer...) {
        state.withLock { $0.answers[method] = answers }
    }

    /// Every call received so far, in order.
    public var calls: [Call] { state.withLock { $0.calls } }

    /// The calls of one method received so far.
    public func calls(to method: String) -> [Call] { calls.filter { $0.method == method } }

    /// Returns once `method` has been called `count` times in all.
    public func waitForCall(to method: String, count: Int = 1) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = state.withLock { s -> Bool in
                guard s.calls.filter({ $0.method == method }).count < count else { return true }
                s.callWaiters.append((method, count, continuation))
                return false
            }
            if ready { continuation.resume() }
        }
    }

    // MARK: For the fakes

    /// Records a call of the calling method and answers it from the script, or with `fallback` when the
    /// method is unscripted.
    func reply<Reply: Sendable>(
        _ arguments: Any?..., method: String = #function, otherwise fallback: @autoclosure () -> Reply
    ) async throws -> Reply {
        guard let answer = record(Self.baseName(method), arguments) else { return fallback() }
        return try await give(answer, Self.baseName(method))
    }

    /// Records a call of the calling method and answers it from the script; an unscripted method fails.
    func reply<Reply: Sendable>(_ arguments: Any?..., method: String = #function) async throws -> Reply {
        let name = Self.baseName(method)
        guard let answer = record(name, arguments) else { throw FakeError.unscripted(method: name) }
        return try await give(answer, name)
    }

    /// A new incarnation of the fake starts: returns what a `.crash` answer fulfils while it runs.
    func beginIncarnation() -> OneShot<Void> {
        state.withLock { s in
            s.crash = OneShot()
            return s.crash
        }
    }

    private func record(_ method: String, _ arguments: [Any?]) -> Answer? {
        let (answer, woken) = state.withLock { s in
            s.calls.append(Call(method: method, arguments: arguments.map { $0.map(Self.describe) ?? "nil" }))
            return (s.nextAnswer(for: method), s.takeSatisfiedWaiters())
        }
        log.record(child + "." + method)
        woken.forEach { $0.resume() }
        return answer
    }

    private func give<Reply: Sendable>(_ answer: Answer, _ method: String) async throws -> Reply {
        switch answer {
        case .value(let value):
            guard let reply = value as? Reply else { throw FakeError.wrongAnswerType(method: method, expected: "\(Reply.self)") }
            return reply
        case .failure(let error):
            throw error
        case .after(let delay, let then):
            try await clock.sleep(for: delay)
            return try await give(then, method)
        case .hang:
            _ = await OneShot<Void>().wait()
            throw CancellationError()
        case .crash:
            state.withLock { $0.crash }.fulfill(())
            _ = await OneShot<Void>().wait()
            throw CancellationError()
        }
    }

    /// `createTask(_:stdio:)` → `createTask`.
    private static func baseName(_ function: String) -> String {
        String(function.prefix { $0 != "(" })
    }

    /// An argument as text, optionals unwrapped (`nil` when absent).
    private static func describe(_ value: Any) -> String {
        let mirror = Mirror(reflecting: value)
        guard mirror.displayStyle == .optional else { return String(describing: value) }
        return mirror.children.first.map { describe($0.value) } ?? "nil"
    }
}

/// Why a fake could not answer.
public enum FakeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The method has no script and no default answer.
    case unscripted(method: String)
    /// The scripted value is not of the method's reply type.
    case wrongAnswerType(method: String, expected: String)
    /// A `.crash` answer ended the fake's incarnation.
    case crashed(child: String)

    public var description: String {
        switch self {
        case .unscripted(let method): "the fake has no answer scripted for \(method)"
        case .wrongAnswerType(let method, let expected): "the answer scripted for \(method) is not a \(expected)"
        case .crashed(let child): "the fake \(child) crashed as scripted"
        }
    }
}
