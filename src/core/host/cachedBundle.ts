/**
 * The worker script of a host whose code is a bundle of its own (`HOST_BUNDLE`, beside this one, set by the build):
 * loads it with V8's code cache (`./codeCache`), so that a host's start after the first one on a machine compiles
 * neither the bundle nor the functions its first answers ran. The Python host is started so (dist/analysisHost.js
 * loads dist/analysisHostMain.js); the TS/JS host code-caches its analyzer's bundles itself.
 */
import * as path from 'node:path';
import { defaultCacheDirectory } from '../cache/diskCache';
import { loadWithCodeCache } from './codeCache';

declare const HOST_BUNDLE: string;

loadWithCodeCache(path.join(__dirname, HOST_BUNDLE), defaultCacheDirectory());
