// A tiny in-memory SCIM 2.0 service provider made of SCIMMY (protocol:
// filters, PATCH, attribute selection, sorting, paging, schema validation,
// error messages) and scimmy-routers (the Express endpoints). What is ours
// is only the storage behind SCIMMY's ingress/egress/degress handlers, the
// ciscoumbrella User extension declared with SCIMMY's schema API, bearer
// authentication through the routers' handler, and the listener.
//
// Environment:
//   INTEROP_SCIM_TOKEN  required: the bearer token every request must carry
//   INTEROP_LISTEN      host:port to listen on (default 127.0.0.1:0, a free port)
//   INTEROP_IDS         uuid (default) | int | base64: the style of resource ids
//
// The first line on stdout is "listening on http://HOST:PORT"; then one
// line per request (method, url, status) goes to stderr.

import crypto from "node:crypto";
import express from "express";
import SCIMMY from "scimmy";
import SCIMMYRouters from "scimmy-routers";

const token = process.env.INTEROP_SCIM_TOKEN ?? "";
if (!token) {
    process.stderr.write("INTEROP_SCIM_TOKEN is required\n");
    process.exit(2);
}

const listen = process.env.INTEROP_LISTEN || "127.0.0.1:0";
const sep = listen.lastIndexOf(":");
const host = (sep > 0 ? listen.slice(0, sep) : "127.0.0.1").replace(/^\[(.*)]$/, "$1");
const port = Number(sep >= 0 ? listen.slice(sep + 1) : listen);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`INTEROP_LISTEN: bad port in ${JSON.stringify(listen)}\n`);
    process.exit(2);
}

// ---- ids ------------------------------------------------------------------

const idStyle = process.env.INTEROP_IDS || "uuid";
let counter = 0;
const newId = {
    uuid: () => crypto.randomUUID(),
    // One counter for users and groups: ids are unique across resource types.
    int: () => String(++counter),
    // base64url of "user-N" / "group-N" with the "=" padding kept; a payload
    // whose length is a multiple of 3 would not be padded, so it gets one
    // more byte: every id ends in "=" or "==", none contains "/" or "+".
    base64: (kind) => {
        let payload = `${kind}-${++counter}`;
        if (payload.length % 3 === 0) payload += ".";
        return Buffer.from(payload).toString("base64").replace(/\+/g, "-").replace(/\//g, "_");
    },
}[idStyle];
if (!newId) {
    process.stderr.write(`INTEROP_IDS: unknown id style ${JSON.stringify(idStyle)} (uuid, int or base64)\n`);
    process.exit(2);
}

// ---- the ciscoumbrella extension, declared with SCIMMY's schema API -------

const CiscoUmbrellaUser = new SCIMMY.Types.SchemaDefinition(
    "CiscoUmbrellaUser",
    "urn:ietf:params:scim:schemas:extension:ciscoumbrella:2.0:User",
    "Cisco Secure Access user extension",
    [
        new SCIMMY.Types.Attribute("string", "nativeObjectId", {caseExact: true, description: "The directory's native object ID (the AD objectGUID)."}),
        new SCIMMY.Types.Attribute("string", "authName", {description: "The user's authentication name."}),
    ],
);

// ---- storage ----------------------------------------------------------------

// Each store maps id -> the resource as SCIMMY handed it to ingress
// (serialised to plain JSON), plus id and meta created/lastModified/version.
const users = new Map();
const groups = new Map();

const plain = (instance) => JSON.parse(JSON.stringify(instance));
const now = () => new Date().toISOString();
const fold = (s) => String(s ?? "").toLowerCase();
// meta.version: a weak entity tag from one revision counter for the store.
let revision = 0;
const nextVersion = () => `W/"${++revision}"`;

const withoutMeta = ({id, meta, ...rest}) => JSON.stringify(rest);
const sameData = (a, b) => withoutMeta(a) === withoutMeta(b);

function notFound(id) {
    return new SCIMMY.Types.Error(404, null, `Resource ${id} not found`);
}

// store returns an ingress handler over the map: create (no resource.id)
// or replace (PUT, and the write at the end of a SCIMMY PATCH), with a
// case-insensitive uniqueness check on one attribute.
function store(map, kind, unique) {
    return (resource, instance) => {
        const data = plain(instance);
        const previous = resource.id !== undefined ? map.get(resource.id) : undefined;
        if (resource.id !== undefined && !previous) throw notFound(resource.id);

        const key = fold(data[unique]);
        for (const [id, other] of map) {
            if (id !== resource.id && fold(other[unique]) === key) {
                throw new SCIMMY.Types.Error(409, "uniqueness", `${unique} ${JSON.stringify(data[unique])} is already taken by ${kind} ${id}`);
            }
        }

        // A write that changes nothing (SCIMMY's PATCH always ends in one)
        // keeps meta.lastModified and meta.version.
        if (previous && sameData(previous, data)) return previous;

        const id = previous ? previous.id : newId(kind);
        const stamp = now();
        // SCIMMY adds meta.resourceType and meta.location on the way out.
        const record = {
            ...data,
            id,
            meta: {created: previous ? previous.meta.created : stamp, lastModified: stamp, version: nextVersion()},
        };
        map.set(id, record);
        return record;
    };
}

// fetch returns an egress handler: one resource by id, or every resource
// matching the request's filter (SCIMMY's Filter.match); SCIMMY's
// ListResponse sorts and pages what it gets, and SCIMMY's schema coercion
// applies attributes/excludedAttributes.
function fetch(map) {
    return (resource) => {
        if (resource.id !== undefined) {
            const found = map.get(resource.id);
            if (!found) throw notFound(resource.id);
            return found;
        }
        const all = [...map.values()];
        return resource.filter ? resource.filter.match(all) : all;
    };
}

function touch(record) {
    record.meta = {...record.meta, lastModified: now(), version: nextVersion()};
}

SCIMMY.Resources.declare(SCIMMY.Resources.User, {
    extensions: [{schema: CiscoUmbrellaUser, required: false}],
    ingress: store(users, "user", "userName"),
    egress: fetch(users),
    degress: (resource) => {
        if (!users.delete(resource.id)) throw notFound(resource.id);
        // Referential integrity: a deleted user is no member of any group.
        for (const group of groups.values()) {
            const members = group.members ?? [];
            const kept = members.filter((m) => m.value !== resource.id);
            if (kept.length !== members.length) {
                if (kept.length) group.members = kept;
                else delete group.members;
                touch(group);
            }
        }
    },
});

SCIMMY.Resources.declare(SCIMMY.Resources.Group, {
    ingress: store(groups, "group", "displayName"),
    egress: fetch(groups),
    degress: (resource) => {
        if (!groups.delete(resource.id)) throw notFound(resource.id);
    },
});

// ---- HTTP -------------------------------------------------------------------

const app = express();
// Express would add a content-hash ETag to every response (and answer 304
// to a matching If-None-Match): that is not SCIMMY's, does not equal
// meta.version, and SCIMMY's ServiceProviderConfig says etag unsupported.
app.set("etag", false);

app.use((req, res, next) => {
    res.on("finish", () => process.stderr.write(`${req.method} ${req.originalUrl} ${res.statusCode}\n`));
    next();
});

app.use("/scim/v2", new SCIMMYRouters({
    type: "bearer",
    // Throwing here makes the routers answer 401 with SCIMMY's error message.
    handler: (req) => {
        const header = req.get("authorization") ?? "";
        const match = /^Bearer\s+(.+)$/i.exec(header);
        if (!match) throw new Error("Authorization header with a Bearer token is required");
        const given = Buffer.from(match[1].trim());
        const want = Buffer.from(token);
        if (given.length !== want.length || !crypto.timingSafeEqual(given, want)) throw new Error("Invalid bearer token");
    },
    // Absolute meta.location URIs (RFC 7643 §3.1), from the request's host.
    baseUri: (req) => `${req.protocol}://${req.get("host")}`,
}));

const server = app.listen(port, host, () => {
    const {port: actual} = server.address();
    const shown = host.includes(":") ? `[${host}]` : host;
    process.stdout.write(`listening on http://${shown}:${actual}\n`);
});
server.on("error", (err) => {
    process.stderr.write(`listen ${listen}: ${err.message}\n`);
    process.exit(1);
});

function stop(signal) {
    process.stderr.write(`${signal}: shutting down\n`);
    server.close(() => process.exit(0));
    server.closeAllConnections();
}
process.on("SIGTERM", () => stop("SIGTERM"));
process.on("SIGINT", () => stop("SIGINT"));
