package io.fjord.storage;

/** Who is appending: a producer (full validation) or the transaction coordinator writing markers. */
public enum AppendOrigin {
    CLIENT,
    COORDINATOR
}
