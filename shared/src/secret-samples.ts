import { MASK } from './secret-span.ts';

/** A variable holding a secret, how it must be shown, and the parts that must never be. */
export interface SecretSample {
  /** The class of secret, as test names read it. */
  what: string;
  name: string;
  value: string;
  /** What `maskEnvironment` shows: null when the whole value is hidden. */
  shown: string | null;
  /** Substrings of the value that no response may contain (no backslash or double quote: JSON escapes those). */
  secrets: string[];
}

// Real-looking and useless: a throw-away ed25519 key made with `openssl genpkey -algorithm
// ed25519`, tokens signed with keys that exist nowhere.
const ED25519_BODY = 'MC4CAQAwBQYDK2VwBCIEIDOC48QVBy34Iii/hj/zOUeEDrDKBYQi6QdqUv8zR7NN';
/** A PEM private key, as `openssl genpkey` writes it. */
export const ED25519_KEY = `-----BEGIN PRIVATE KEY-----\n${ED25519_BODY}\n-----END PRIVATE KEY-----\n`;
const RS256_PAYLOAD = 'eyJpc3MiOiJodHRwczovL2F1dGguZXhhbXBsZS5jb20vIiwic3ViIjoic3ZjLW9yZGVycyIsImF1ZCI6Im9yZGVycy1hcGkiLCJleHAiOjE3NjcyMjU2MDB9';
const RS256_SIGNATURE = 'bd379ZFDDDtOENIs9F7TBPETPCsjgWLw7J79jLBwdIeVzpv0H-YJKfr22Ml_rXoqlPk2obZy5CUXbFmYIL5JnA';
/** A JWT signed with RS256, with a `kid`. */
export const JWT_RS256 = `eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6IjBmMWUyZDNjIn0.${RS256_PAYLOAD}.${RS256_SIGNATURE}`;
const HS256_SIGNATURE = 'SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
/** jwt.io's example token. */
export const JWT_HS256 = `eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.${HS256_SIGNATURE}`;
const JWE_TAG = '_Krz6fn2xH5DPnzFXJhiUQ';
const JWE = `eyJhbGciOiJSU0EtT0FFUC0yNTYiLCJlbmMiOiJBMjU2R0NNIn0.o1bRiQaOK50tAKwE7g4lIEqJrJxBzi6gmt9E1O-sscTxpiQWL2Z6xg.9QbBp5zow5y4k6fR.mdyo8TOtIPbYxhfeSicYJuSNorxfgMeiERmzSCU0.${JWE_TAG}`;
const AZURE_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

/**
 * One secret of each class masking knows, under names that give nothing away unless the class
 * is the name: the table of `maskEnvironment`'s test, and what the HTTP and end-to-end tests put
 * in real environments (host processes, `docker run -e`, `docker exec -e`). Names are unique, so
 * the whole table fits in one environment.
 */
export const SECRET_SAMPLES: readonly SecretSample[] = [
  { what: 'name with PWD', name: 'MYSQL_PWD', value: 'Sup3r-s3cret-pwd', shown: null, secrets: ['Sup3r-s3cret-pwd'] },
  { what: 'name with PASS', name: 'PGPASS', value: 'db:5432:app:app:pgpass-s3cret', shown: null, secrets: ['pgpass-s3cret'] },
  { what: 'name with CRED', name: 'REGISTRY_CREDS', value: 'ci:ghp_16C7e42F292c6912E7710c838347Ae178B4a', shown: null, secrets: ['ghp_16C7e42F292c'] },
  { what: 'name with SECRET', name: 'SECRET', value: 'exec-s3cret-value', shown: null, secrets: ['exec-s3cret-value'] },
  {
    what: 'PEM private key',
    name: 'TLS_MATERIAL',
    value: ED25519_KEY,
    shown: `-----BEGIN PRIVATE KEY-----${MASK}-----END PRIVATE KEY-----\n`,
    secrets: [ED25519_BODY.slice(0, 24), ED25519_BODY.slice(-24)],
  },
  {
    what: 'PEM key with its newlines written as \\n',
    name: 'SSH_IDENTITY',
    value: '-----BEGIN OPENSSH PRIVATE KEY-----\\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\\n-----END OPENSSH PRIVATE KEY-----',
    shown: `-----BEGIN OPENSSH PRIVATE KEY-----${MASK}-----END OPENSSH PRIVATE KEY-----`,
    secrets: ['b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ'],
  },
  {
    what: 'PEM key cut short (no END line)',
    name: 'SIGNER',
    value: '-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBYrQ',
    shown: `-----BEGIN EC PRIVATE KEY-----${MASK}`,
    secrets: ['MHcCAQEEIBYrQ'],
  },
  { what: 'JWT (RS256)', name: 'UPSTREAM_HEADER', value: JWT_RS256, shown: MASK, secrets: [RS256_PAYLOAD, RS256_SIGNATURE] },
  { what: 'JWT after Bearer', name: 'HEADER', value: `Bearer ${JWT_HS256}`, shown: `Bearer ${MASK}`, secrets: [HS256_SIGNATURE] },
  { what: 'JWE (five segments)', name: 'ENCRYPTED', value: JWE, shown: MASK, secrets: [JWE_TAG] },
  { what: 'unsigned JWT (alg none)', name: 'CLAIMS', value: 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.', shown: MASK, secrets: ['eyJzdWIiOiJ4In0'] },
  {
    what: 'JWT in a query string',
    name: 'CALLBACK',
    value: `https://hooks.example.com/cb?jwt=${JWT_HS256}&x=1`,
    shown: `https://hooks.example.com/cb?jwt=${MASK}&x=1`,
    secrets: [HS256_SIGNATURE],
  },
  {
    what: 'URL password',
    name: 'DATABASE_URL',
    value: 'postgres://app:s3cr3t-Pa55@db:5432/app',
    shown: `postgres://app:${MASK}@db:5432/app`,
    secrets: ['s3cr3t-Pa55'],
  },
  {
    what: 'URL password with / @ :',
    name: 'REPLICA_URL',
    value: 'postgres://app:p@ss/w:rd@db:5432/app?sslmode=disable',
    shown: `postgres://app:${MASK}@db:5432/app?sslmode=disable`,
    secrets: ['p@ss', 'ss/w', 'w:rd'],
  },
  {
    what: 'redis URL with a password only',
    name: 'REDIS_URL',
    value: 'redis://:Zk8#q1x@cache:6379/0',
    shown: `redis://:${MASK}@cache:6379/0`,
    secrets: ['Zk8#q1x'],
  },
  {
    what: 'mongodb+srv URL',
    name: 'MONGO',
    value: 'mongodb+srv://orders:T0p%2Fs3cret@cluster0.ab1cd.mongodb.net/orders?retryWrites=true',
    shown: `mongodb+srv://orders:${MASK}@cluster0.ab1cd.mongodb.net/orders?retryWrites=true`,
    secrets: ['T0p%2Fs3cret'],
  },
  {
    what: 'comma-separated broker list',
    name: 'BROKERS',
    value: 'amqp://guest:first-pw1@rabbit1:5672,amqp://guest:second-pw2@rabbit2:5672',
    shown: `amqp://guest:${MASK}@rabbit1:5672,amqp://guest:${MASK}@rabbit2:5672`,
    secrets: ['first-pw1', 'second-pw2'],
  },
  {
    what: 'space-separated list',
    name: 'NATS_SERVERS',
    value: 'nats://a:nats-pw1@n1:4222 nats://b:nats-pw2@n2:4222',
    shown: `nats://a:${MASK}@n1:4222 nats://b:${MASK}@n2:4222`,
    secrets: ['nats-pw1', 'nats-pw2'],
  },
  {
    what: 'JDBC URL with ?password=',
    name: 'SPRING_DATASOURCE_URL',
    value: 'jdbc:mysql://db:3306/app?user=app&password=Sup3r$ecret&useSSL=true',
    shown: `jdbc:mysql://db:3306/app?user=app&password=${MASK}&useSSL=true`,
    secrets: ['Sup3r$ecret'],
  },
  {
    what: 'JDBC SQL Server ;password=',
    name: 'JDBC',
    value: 'jdbc:sqlserver://db:1433;databaseName=app;user=sa;password=Yuk0n;900;encrypt=true',
    shown: `jdbc:sqlserver://db:1433;databaseName=app;user=sa;password=${MASK};encrypt=true`,
    secrets: ['Yuk0n', ';900'],
  },
  {
    what: 'ODBC Pwd=…;',
    name: 'ODBC_DSN',
    value: 'Driver={ODBC Driver 18 for SQL Server};Server=tcp:db,1433;Uid=sa;Pwd=Odbc900x;Encrypt=yes',
    shown: `Driver={ODBC Driver 18 for SQL Server};Server=tcp:db,1433;Uid=sa;Pwd=${MASK};Encrypt=yes`,
    secrets: ['Odbc900x'],
  },
  {
    what: 'ODBC braced Pwd with ; and }}',
    name: 'ODBC_BRACED',
    value: 'Server=db;Uid=sa;Pwd={se;cr}}et};Encrypt=yes',
    shown: `Server=db;Uid=sa;Pwd=${MASK};Encrypt=yes`,
    secrets: ['se;cr'],
  },
  {
    what: 'libpq key=value list',
    name: 'PG_CONNINFO',
    value: 'host=db port=5432 user=app password=libpq-s3cret dbname=app',
    shown: `host=db port=5432 user=app password=${MASK} dbname=app`,
    secrets: ['libpq-s3cret'],
  },
  {
    what: 'libpq quoted password with spaces',
    name: 'PG_QUOTED',
    value: "host=db password='qu0ted pw\\'x' dbname=app",
    shown: `host=db password=${MASK} dbname=app`,
    secrets: ['qu0ted pw'],
  },
  {
    what: 'passwd= in a list',
    name: 'FTP',
    value: 'host=ftp.example.com user=u passwd=ftp-pa55 passive=1',
    shown: `host=ftp.example.com user=u passwd=${MASK} passive=${MASK}`,
    secrets: ['ftp-pa55'],
  },
  {
    what: 'Azure storage connection string',
    name: 'STORAGE',
    value: `DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=${AZURE_KEY};EndpointSuffix=core.windows.net`,
    shown: `DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=${MASK};EndpointSuffix=core.windows.net`,
    secrets: [AZURE_KEY.slice(0, 20)],
  },
  {
    what: 'Java system property',
    name: 'JAVA_TOOL_OPTIONS',
    value: '-Dspring.datasource.password=java-hunter2 -Dspring.profiles.active=prod',
    shown: `-Dspring.datasource.password=${MASK} -Dspring.profiles.active=prod`,
    secrets: ['java-hunter2'],
  },
  {
    what: 'JSON member',
    name: 'SPRING_APPLICATION_JSON',
    value: '{"spring.datasource.password":"json-hunter2","server.port":8080}',
    shown: `{"spring.datasource.password":"${MASK}","server.port":8080}`,
    secrets: ['json-hunter2'],
  },
  {
    what: 'Go MySQL DSN',
    name: 'DSN',
    value: 'app:go-s3cr@t@tcp(db:3306)/app?parseTime=true',
    shown: `app:${MASK}@tcp(db:3306)/app?parseTime=true`,
    secrets: ['go-s3cr@t'],
  },
];
