/// Docker-style generated names (`adjective_surname`), a digit appended after a collision.
enum NameGenerator {
    private static let adjectives = [
        "admiring", "agitated", "amazing", "awesome", "blissful", "bold", "brave", "busy", "charming", "clever", "cool",
        "dazzling", "determined", "eager", "ecstatic", "elegant", "epic", "festive", "focused", "friendly", "gallant",
        "gifted", "happy", "hopeful", "jolly", "keen", "kind", "loving", "lucid", "magical", "modest", "nice", "nifty",
        "optimistic", "peaceful", "practical", "priceless", "quirky", "relaxed", "serene", "sharp", "stoic", "sweet",
        "tender", "trusting", "upbeat", "vibrant", "wizardly", "youthful", "zealous",
    ]
    private static let surnames = [
        "archimedes", "babbage", "bohr", "curie", "darwin", "dijkstra", "einstein", "euclid", "euler", "faraday",
        "fermi", "feynman", "galileo", "gauss", "goldberg", "hamilton", "hawking", "hopper", "hypatia", "johnson",
        "kepler", "knuth", "lamport", "lovelace", "maxwell", "meitner", "mendel", "newton", "noether", "pascal",
        "pasteur", "ritchie", "shannon", "tesla", "thompson", "torvalds", "turing", "wozniak", "wright", "yalow",
    ]

    /// A name not in `taken`.
    static func generate(avoiding taken: (String) -> Bool) -> String {
        for attempt in 0..<100 {
            let base = "\(adjectives.randomElement()!)_\(surnames.randomElement()!)"
            let name = attempt < 10 ? base : "\(base)\(Int.random(in: 0..<10))"
            if !taken(name) { return name }
        }
        return "berth_\(UInt64.random(in: 0..<UInt64.max))"
    }
}
