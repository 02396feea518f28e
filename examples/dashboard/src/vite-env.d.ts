/// <reference types="vite/client" />

interface ImportMetaEnv {
  /**
   * "true" builds an app that sends each operation's full text instead of its documentId: only for
   * development against a gateway that does not serve the persisted documents yet.
   */
  readonly VITE_SEND_QUERY_TEXT?: string;
}
