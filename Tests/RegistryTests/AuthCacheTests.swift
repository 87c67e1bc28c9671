import Testing
@testable import Registry

struct AuthCacheTests {
    @Test func tokensAreKeptPerCredentialsAndExpire() {
        var cache = AuthCache()
        let now = ContinuousClock.now
        let alice = AuthCache.TokenKey(host: "h", scopes: ["repository:a:pull"], credentials: RegistryCredentials(username: "alice", password: "1"))
        let anonymous = AuthCache.TokenKey(host: "h", scopes: ["repository:a:pull"], credentials: nil)
        cache.setToken(AuthCache.Token(value: "t", expires: now + .seconds(60)), for: alice, now: now)
        #expect(cache.token(for: alice, now: now) == "t")
        #expect(cache.token(for: anonymous, now: now) == nil)
        #expect(cache.token(for: alice, now: now + .seconds(61)) == nil)
    }
}
