import PartnerCore

/// Outputs that hold real calls, grouped by the format family that wrote them.
extension ToolCallSample {
    static let positives: [ToolCallSample] = hermes + fencedAndBare + qwenCoder + llama + pythonic + mistral
        + deepSeek + kimi + harmony + glm + invoke + functionary + wrappers + tolerantJSON + reasoning

    static let hermes: [ToolCallSample] = [
        ToolCallSample("hermes", "one call", #"""
        <tool_call>
        {"name": "read_file", "arguments": {"path": "Sources/App/main.swift"}}
        </tool_call>
        """#, [("read_file", ["path": "Sources/App/main.swift"])]),
        ToolCallSample("hermes", "prose first, two calls", #"""
        I'll check the weather in both cities.
        <tool_call>
        {"name": "get_weather", "arguments": {"city": "Paris", "unit": "celsius"}}
        </tool_call>
        <tool_call>
        {"name": "get_weather", "arguments": {"city": "Lyon"}}
        </tool_call>
        """#, [("get_weather", ["city": "Paris", "unit": "celsius"]), ("get_weather", ["city": "Lyon"])]),
        ToolCallSample("hermes", "unclosed at the end of the output", #"""
        <tool_call>
        {"name": "run_command", "arguments": {"command": "swift build", "timeout_seconds": 600}}
        """#, [("run_command", ["command": "swift build", "timeout_seconds": 600])]),
        ToolCallSample("hermes", "unclosed and missing the final brace", #"""
        <tool_call>
        {"name": "search", "arguments": {"query": "func parse", "limit": 5}
        """#, [("search", ["query": "func parse", "limit": 5])]),
        ToolCallSample("hermes", "arguments given as a JSON string", #"""
        <tool_call>
        {"name": "read_file", "arguments": "{\"path\": \"README.md\", \"start_line\": 10}"}
        </tool_call>
        """#, [("read_file", ["path": "README.md", "start_line": 10])]),
        ToolCallSample("hermes", "fenced JSON inside the tag", #"""
        <tool_call>
        ```json
        {"name": "list_files", "arguments": {"directory": "Tests"}}
        ```
        </tool_call>
        """#, [("list_files", ["directory": "Tests"])]),
        ToolCallSample("hermes", "parameters instead of arguments", #"""
        <tool_call>{"name": "search", "parameters": {"query": "TODO", "regex": false}}</tool_call>
        """#, [("search", ["query": "TODO", "regex": false])]),
    ]

    static let fencedAndBare: [ToolCallSample] = [
        ToolCallSample("fenced", "json fence after prose", #"""
        Let me read the package manifest first.

        ```json
        {"name": "read_file", "arguments": {"path": "Package.swift"}}
        ```
        """#, [("read_file", ["path": "Package.swift"])]),
        ToolCallSample("fenced", "fence without a language tag", #"""
        ```
        {"name": "run_command", "arguments": {"command": "ls -la"}}
        ```
        """#, [("run_command", ["command": "ls -la"])]),
        ToolCallSample("bare", "the arguments flattened beside the name", #"""
        Reading it first. {"name": "read_file", "path": "src/app.py", "start_line": 3}
        """#, [("read_file", ["path": "src/app.py", "start_line": 3])]),
        ToolCallSample("bare", "the whole answer is one JSON object", #"""
        {"name": "get_weather", "arguments": {"city": "Berlin", "days": 3}}
        """#, [("get_weather", ["city": "Berlin", "days": 3])]),
        ToolCallSample("bare", "JSON object at the end of a sentence", #"""
        Sure, I will search for it: {"name": "search", "arguments": {"query": "HTTPClient"}}
        """#, [("search", ["query": "HTTPClient"])]),
        ToolCallSample("bare", "a list of two calls", #"""
        [{"name": "read_file", "arguments": {"path": "a.txt"}}, {"name": "read_file", "arguments": {"path": "b.txt"}}]
        """#, [("read_file", ["path": "a.txt"]), ("read_file", ["path": "b.txt"])]),
        ToolCallSample("bare", "a call with no arguments key and no other keys", #"""
        {"name": "list_files"}
        """#, [("list_files", [:])]),
    ]

    static let qwenCoder: [ToolCallSample] = [
        ToolCallSample("qwen3-coder", "string and integer parameters", #"""
        <tool_call>
        <function=read_file>
        <parameter=path>
        Sources/Models/HTTPClient.swift
        </parameter>
        <parameter=start_line>
        40
        </parameter>
        </function>
        </tool_call>
        """#, [("read_file", ["path": "Sources/Models/HTTPClient.swift", "start_line": 40])]),
        ToolCallSample("qwen3-coder", "multi-line string value kept verbatim", #"""
        <tool_call>
        <function=write_file>
        <parameter=path>
        notes.md
        </parameter>
        <parameter=content>
        # Notes
        - first
        - second
        </parameter>
        </function>
        </tool_call>
        """#, [("write_file", ["path": "notes.md", "content": "# Notes\n- first\n- second"])]),
        ToolCallSample("qwen3-coder", "boolean and array converted by schema", #"""
        <tool_call>
        <function=search>
        <parameter=query>
        open(
        </parameter>
        <parameter=regex>
        False
        </parameter>
        <parameter=paths>
        ["Sources", "Tests"]
        </parameter>
        </function>
        </tool_call>
        """#, [("search", ["query": "open(", "regex": false, "paths": ["Sources", "Tests"]])]),
        ToolCallSample("qwen3-coder", "without the tool_call wrapper, unclosed", #"""
        <function=run_command>
        <parameter=command>
        make test
        </parameter>
        """#, [("run_command", ["command": "make test"])]),
        ToolCallSample("qwen3-coder", "two calls in a row", #"""
        <tool_call>
        <function=get_weather>
        <parameter=city>
        Oslo
        </parameter>
        </function>
        </tool_call>
        <tool_call>
        <function=get_weather>
        <parameter=city>
        Bergen
        </parameter>
        <parameter=days>
        2
        </parameter>
        </function>
        </tool_call>
        """#, [("get_weather", ["city": "Oslo"]), ("get_weather", ["city": "Bergen", "days": 2])]),
        ToolCallSample("functionary-v3.1", "<function=NAME> with JSON", #"""
        <function=get_weather>{"city": "Madrid", "unit": "celsius"}</function>
        """#, [("get_weather", ["city": "Madrid", "unit": "celsius"])]),
    ]

    static let llama: [ToolCallSample] = [
        ToolCallSample("llama3", "python_tag with parameters", #"""
        <|python_tag|>{"name": "get_weather", "parameters": {"city": "San Francisco"}}<|eom_id|>
        """#, [("get_weather", ["city": "San Francisco"])]),
        ToolCallSample("llama3", "python_tag with calls joined by '; '", #"""
        <|python_tag|>{"name": "read_file", "parameters": {"path": "a.swift"}}; {"name": "read_file", "parameters": {"path": "b.swift"}}
        """#, [("read_file", ["path": "a.swift"]), ("read_file", ["path": "b.swift"])]),
        ToolCallSample("llama3", "JSON with type function and parameters, no tag", #"""
        {"type": "function", "name": "search", "parameters": {"query": "retry policy", "limit": 3}}
        """#, [("search", ["query": "retry policy", "limit": 3])]),
        ToolCallSample("llama3", "python_tag ended by eot_id with parameters as a string", #"""
        <|python_tag|>{"name": "run_command", "parameters": "{\"command\": \"git status\"}"}<|eot_id|>
        """#, [("run_command", ["command": "git status"])]),
    ]

    static let pythonic: [ToolCallSample] = [
        ToolCallSample("pythonic", "one call with keyword arguments", #"""
        [get_weather(city="Tokyo", days=5)]
        """#, [("get_weather", ["city": "Tokyo", "days": 5])]),
        ToolCallSample("pythonic", "two calls, single quotes and a boolean", #"""
        [search(query='TODO', regex=False), read_file(path='Makefile')]
        """#, [("search", ["query": "TODO", "regex": false]), ("read_file", ["path": "Makefile"])]),
        ToolCallSample("pythonic", "Llama 4 python_start block with a list value", #"""
        <|python_start|>[search(query="init", paths=["Sources", "Tests"])]<|python_end|>
        """#, [("search", ["query": "init", "paths": ["Sources", "Tests"]])]),
        ToolCallSample("pythonic", "call without arguments after prose", #"""
        Listing the files now.
        [list_files()]
        """#, [("list_files", [:])]),
    ]

    static let mistral: [ToolCallSample] = [
        ToolCallSample("mistral-v3", "JSON list after [TOOL_CALLS]", #"""
        [TOOL_CALLS] [{"name": "get_weather", "arguments": {"city": "Nice"}, "id": "a1b2c3d4e"}]
        """#, [("get_weather", ["city": "Nice"])]),
        ToolCallSample("mistral-v3", "two calls in the list", #"""
        [TOOL_CALLS][{"name": "read_file", "arguments": {"path": "x.c"}}, {"name": "run_command", "arguments": {"command": "cc x.c"}}]
        """#, [("read_file", ["path": "x.c"]), ("run_command", ["command": "cc x.c"])]),
        ToolCallSample("mistral-v11", "NAME[ARGS]{json}", #"""
        [TOOL_CALLS]search[ARGS]{"query": "deinit", "limit": 10}
        """#, [("search", ["query": "deinit", "limit": 10])]),
        ToolCallSample("mistral-v11", "two calls each with [TOOL_CALLS]", #"""
        [TOOL_CALLS]read_file[ARGS]{"path": "a.md"}[TOOL_CALLS]read_file[ARGS]{"path": "b.md"}
        """#, [("read_file", ["path": "a.md"]), ("read_file", ["path": "b.md"])]),
        ToolCallSample("mistral-v11", "[ARGS] dropped by a server that skips special tokens", #"""
        [TOOL_CALLS]get_weather{"city": "Lille"}
        """#, [("get_weather", ["city": "Lille"])]),
        ToolCallSample("mistral-v13", "NAME[CALL_ID]ID[ARGS]{json}", #"""
        [TOOL_CALLS]get_weather[CALL_ID]Zx9k2LmQ1[ARGS]{"city": "Geneva", "unit": "fahrenheit"}
        """#, [("get_weather", ["city": "Geneva", "unit": "fahrenheit"])]),
    ]

    static let deepSeek: [ToolCallSample] = [
        ToolCallSample("deepseek-v3", "function<sep>NAME with a json fence", """
        <｜tool▁calls▁begin｜><｜tool▁call▁begin｜>function<｜tool▁sep｜>get_weather
        ```json
        {"city": "Hangzhou"}
        ```<｜tool▁call▁end｜><｜tool▁calls▁end｜>
        """, [("get_weather", ["city": "Hangzhou"])]),
        ToolCallSample("deepseek-v3", "two calls", """
        <｜tool▁calls▁begin｜><｜tool▁call▁begin｜>function<｜tool▁sep｜>read_file
        ```json
        {"path": "main.go"}
        ```<｜tool▁call▁end｜>
        <｜tool▁call▁begin｜>function<｜tool▁sep｜>search
        ```json
        {"query": "func main"}
        ```<｜tool▁call▁end｜><｜tool▁calls▁end｜>
        """, [("read_file", ["path": "main.go"]), ("search", ["query": "func main"])]),
        ToolCallSample("deepseek-v3.1", "NAME<sep>{json}", """
        Let me look.<｜tool▁calls▁begin｜><｜tool▁call▁begin｜>run_command<｜tool▁sep｜>{"command": "cargo test"}<｜tool▁call▁end｜><｜tool▁calls▁end｜>
        """, [("run_command", ["command": "cargo test"])]),
        ToolCallSample("deepseek-v3.1", "ASCII rendering of the tokens", """
        <|tool_calls_begin|><|tool_call_begin|>list_files<|tool_sep|>{"directory": "src"}<|tool_call_end|><|tool_calls_end|>
        """, [("list_files", ["directory": "src"])]),
    ]

    static let kimi: [ToolCallSample] = [
        ToolCallSample("kimi-k2", "one call in a section", """
        <|tool_calls_section_begin|><|tool_call_begin|>functions.get_weather:0<|tool_call_argument_begin|>{"city": "Beijing"}<|tool_call_end|><|tool_calls_section_end|>
        """, [("get_weather", ["city": "Beijing"])]),
        ToolCallSample("kimi-k2", "two calls with spaces between tokens", """
        I will read both. <|tool_calls_section_begin|> <|tool_call_begin|> functions.read_file:0 <|tool_call_argument_begin|> {"path": "a.py"} <|tool_call_end|> <|tool_call_begin|> functions.read_file:1 <|tool_call_argument_begin|> {"path": "b.py"} <|tool_call_end|> <|tool_calls_section_end|>
        """, [("read_file", ["path": "a.py"]), ("read_file", ["path": "b.py"])]),
        ToolCallSample("kimi-k2", "section left open", """
        <|tool_calls_section_begin|><|tool_call_begin|>functions.run_command:0<|tool_call_argument_begin|>{"command": "npm test", "timeout_seconds": 120}
        """, [("run_command", ["command": "npm test", "timeout_seconds": 120])]),
    ]

    static let harmony: [ToolCallSample] = [
        ToolCallSample("harmony", "analysis then a commentary call", """
        <|channel|>analysis<|message|>Need the weather; call get_weather with {"city": "Nowhere"}.<|end|><|start|>assistant<|channel|>commentary to=functions.get_weather <|constrain|>json<|message|>{"city":"Paris"}<|call|>
        """, [("get_weather", ["city": "Paris"])]),
        ToolCallSample("harmony", "recipient in the header", """
        <|start|>assistant to=functions.read_file<|channel|>commentary json<|message|>{"path": "Cargo.toml"}<|call|>
        """, [("read_file", ["path": "Cargo.toml"])]),
        ToolCallSample("harmony", "without the call token", """
        <|channel|>commentary to=functions.search <|constrain|>json<|message|>{"query": "unsafe", "limit": 20}
        """, [("search", ["query": "unsafe", "limit": 20])]),
    ]

    static let glm: [ToolCallSample] = [
        ToolCallSample("glm-4.5", "a tool without arguments: the name alone", """
        <tool_call>list_files
        </tool_call>
        """, [("list_files", [:])]),
        ToolCallSample("glm-4.5", "string argument", """
        <tool_call>get_weather
        <arg_key>city</arg_key>
        <arg_value>Beijing</arg_value>
        </tool_call>
        """, [("get_weather", ["city": "Beijing"])]),
        ToolCallSample("glm-4.5", "integer and string converted by schema", """
        I'll read the start of the file.
        <tool_call>read_file
        <arg_key>path</arg_key>
        <arg_value>src/lib.rs</arg_value>
        <arg_key>end_line</arg_key>
        <arg_value>50</arg_value>
        </tool_call>
        """, [("read_file", ["path": "src/lib.rs", "end_line": 50])]),
        ToolCallSample("glm-4.5", "array argument as JSON text", """
        <tool_call>search<arg_key>query</arg_key><arg_value>Logger</arg_value><arg_key>paths</arg_key><arg_value>["Sources"]</arg_value></tool_call>
        """, [("search", ["query": "Logger", "paths": ["Sources"]])]),
    ]

    static let invoke: [ToolCallSample] = [
        ToolCallSample("invoke-xml", "Kimi / MiniMax XML fallback with typed values", """
        <tool_call>
        <invoke name="read_file">
        <parameter name="path">Sources/main.swift</parameter>
        <parameter name="start_line">3</parameter>
        </invoke>
        </tool_call>
        """, [("read_file", ["path": "Sources/main.swift", "start_line": 3])]),
    ]

    static let functionary: [ToolCallSample] = [
        ToolCallSample("functionary-v3", ">>>name then JSON", """
        >>>get_weather
        {"city": "Istanbul"}
        """, [("get_weather", ["city": "Istanbul"])]),
        ToolCallSample("functionary-v3", "text for the user, then two calls", """
        >>>all
        Let me check two files.>>>read_file
        {"path": "one.txt"}>>>read_file
        {"path": "two.txt"}
        """, [("read_file", ["path": "one.txt"]), ("read_file", ["path": "two.txt"])]),
        ToolCallSample("functionary-v2", "recipient and content tokens", """
        <|from|>assistant
        <|recipient|>run_command
        <|content|>{"command": "pytest -q"}
        """, [("run_command", ["command": "pytest -q"])]),
    ]

    static let wrappers: [ToolCallSample] = [
        ToolCallSample("wrapper", "tool_calls list", #"""
        {"tool_calls": [{"name": "read_file", "arguments": {"path": "go.mod"}}]}
        """#, [("read_file", ["path": "go.mod"])]),
        ToolCallSample("wrapper", "OpenAI-shaped tool_calls with string arguments", #"""
        {"tool_calls": [{"id": "call_9", "type": "function", "function": {"name": "search", "arguments": "{\"query\": \"main\"}"}}]}
        """#, [("search", ["query": "main"])]),
        ToolCallSample("wrapper", "tool_call object", #"""
        {"tool_call": {"name": "get_weather", "arguments": {"city": "Rome"}}}
        """#, [("get_weather", ["city": "Rome"])]),
        ToolCallSample("wrapper", "tool_call in a json fence after prose", #"""
        Calling the tool now:
        ```json
        {"tool_call": {"name": "run_command", "arguments": {"command": "make"}}}
        ```
        """#, [("run_command", ["command": "make"])]),
        ToolCallSample("wrapper", "function object with name and arguments", #"""
        {"function": {"name": "list_files", "arguments": {"directory": "docs"}}}
        """#, [("list_files", ["directory": "docs"])]),
    ]

    static let tolerantJSON: [ToolCallSample] = [
        ToolCallSample("tolerant", "trailing commas", #"""
        <tool_call>{"name": "search", "arguments": {"query": "x", "limit": 2,},}</tool_call>
        """#, [("search", ["query": "x", "limit": 2])]),
        ToolCallSample("tolerant", "single quotes", #"""
        <tool_call>{'name': 'read_file', 'arguments': {'path': 'it\'s.txt'}}</tool_call>
        """#, [("read_file", ["path": "it's.txt"])]),
        ToolCallSample("tolerant", "raw newline inside a string", """
        <tool_call>{"name": "write_file", "arguments": {"path": "a.txt", "content": "line one
        line two"}}</tool_call>
        """, [("write_file", ["path": "a.txt", "content": "line one\nline two"])]),
        ToolCallSample("tolerant", "missing final brace without a closing tag", #"""
        {"name": "get_weather", "arguments": {"city": "Quito"}
        """#, [("get_weather", ["city": "Quito"])]),
        ToolCallSample("tolerant", "an extra closing brace", #"""
        <tool_call>{"name": "list_files", "arguments": {"directory": "src"}}}</tool_call>
        """#, [("list_files", ["directory": "src"])]),
        ToolCallSample("tolerant", "Python literals and unquoted keys", #"""
        <tool_call>{name: "search", arguments: {query: "nil", regex: True}}</tool_call>
        """#, [("search", ["query": "nil", "regex": true])]),
    ]

    static let reasoning: [ToolCallSample] = [
        ToolCallSample("think", "a call after thinking that mentions another call", #"""
        <think>
        Maybe {"name": "run_command", "arguments": {"command": "rm -rf /"}}? No, read the file.
        </think>
        <tool_call>
        {"name": "read_file", "arguments": {"path": "config.yml"}}
        </tool_call>
        """#, [("read_file", ["path": "config.yml"])]),
        ToolCallSample("think", "a lone closing tag (the opening one was in the prompt)", #"""
        The user wants a search. <tool_call>{"name": "run_command", "arguments": {"command": "id"}}</tool_call></think>
        {"name": "search", "arguments": {"query": "login"}}
        """#, [("search", ["query": "login"])]),
    ]
}
