import Supervision

/// A scripted stand-in for one of berthd's children: it answers its service's messages as its
/// `FakeScript` says and serves under a supervisor like the child it replaces. One fake serves every
/// incarnation, so its script and the calls it recorded outlive a restart.
public protocol FakeChild: SupervisedChild {
    var script: FakeScript { get }
}

extension FakeChild {
    /// Ready at once; fails when a call answers `.crash`, returns when stopped.
    public func run(_ context: ChildContext) async throws {
        let crash = script.beginIncarnation()
        context.ready()
        if await crash.wait() != nil { throw FakeError.crashed(child: context.name) }
    }
}
