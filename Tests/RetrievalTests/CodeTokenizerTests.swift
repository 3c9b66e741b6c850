import Testing
@testable import Retrieval

@Suite("Code-aware tokenizer")
struct CodeTokenizerTests {
    @Test("identifiers are kept whole and split into their parts", arguments: [
        ("parseExpression", ["parseexpression", "parse", "expression"]),
        ("HTTPServer", ["httpserver", "http", "server"]),
        ("snake_case_name", ["snake_case_name", "snake", "case", "name"]),
        ("utf8Length", ["utf8length", "utf", "8", "length"]),
        ("UInt8", ["uint8", "u", "int", "8"]),
        ("_privateThing", ["privatething", "private", "thing"]),
        ("simple", ["simple"]),
        ("x", ["x"]),
        ("EventLoopFuture<Void>", ["eventloopfuture", "event", "loop", "future", "void"]),
        ("a.b(c: 1)", ["a", "b", "c", "1"]),
        // Non-ASCII letters keep their case here; SQLite's unicode61 folds it on both sides.
        ("ÜberType", ["Übertype", "Über", "type"]),
    ])
    func terms(input: String, expected: [String]) {
        #expect(CodeTokenizer.terms(input) == expected)
    }

    @Test("the index text is the terms joined by spaces")
    func indexText() {
        #expect(CodeTokenizer.indexText("let readBuffer = 1") == "let readbuffer read buffer 1")
    }

    @Test("queries drop stop words and keep identifiers as typed", arguments: [
        ("where is the parseExpression function", ["parseexpression", "parse", "expression", "function"], ["parseexpression", "function"]),
        ("the", ["the"], []),
        ("close channel", ["close", "channel"], ["close", "channel"]),
    ])
    func query(text: String, terms: [String], identifiers: [String]) {
        let query = SearchQuery(text)
        #expect(query.terms == terms)
        #expect(query.identifiers == identifiers)
    }

    @Test("FTS match expressions quote every term so none is read as syntax")
    func matchExpression() {
        #expect(SearchQuery("NOT foo OR").matchExpression == "\"not\" OR \"foo\"")
    }
}
