// The comparison server for bench/apibench: @neo4j/graphql over the Neo4j
// database Guigen writes, served by Apollo Server (standalone, Node http).
// No authentication or authorization: a difference in its favour.
//
//   NEO4J_URI=bolt://127.0.0.1:7703 PORT=4000 node server.mjs
import { readFileSync } from "node:fs";
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { Neo4jGraphQL } from "@neo4j/graphql";
import neo4j from "neo4j-driver";

const uri = process.env.NEO4J_URI ?? "bolt://127.0.0.1:7687";
const user = process.env.NEO4J_USER ?? "";
const auth = user ? neo4j.auth.basic(user, process.env.NEO4J_PASSWORD ?? "") : undefined;
// The same pool size as Guigen's Go driver default (100).
const driver = neo4j.driver(uri, auth, { maxConnectionPoolSize: 100 });
await driver.verifyConnectivity();

const typeDefs = readFileSync(new URL("./typeDefs.graphql", import.meta.url), "utf8");
const neoSchema = new Neo4jGraphQL({ typeDefs, driver });
const schema = await neoSchema.getSchema();

const server = new ApolloServer({ schema, introspection: true });
const port = Number(process.env.PORT ?? 4000);
const { url } = await startStandaloneServer(server, {
  listen: { port, host: "127.0.0.1" },
  context: async () => (process.env.NEO4J_DATABASE ? { sessionConfig: { database: process.env.NEO4J_DATABASE } } : {}),
});
console.log(`neo4j-graphql ready at ${url}`);

for (const sig of ["SIGINT", "SIGTERM"]) {
  process.on(sig, async () => {
    await server.stop();
    await driver.close();
    process.exit(0);
  });
}
