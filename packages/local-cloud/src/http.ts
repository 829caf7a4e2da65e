/**
 * `@breakwater/local-cloud/http`: the local cloud's one HTTP helper, for an app's own fake servers beside it (a fake
 * third-party gateway): bounded body reads, JSON answers, listening on loopback and closing with open connections.
 */
export {
  BodyTooLargeError,
  closeServer,
  headerValue,
  listenOnLoopback,
  parseJson,
  readBody,
  readText,
  send,
  sendJson,
} from './support/http-io.js';
