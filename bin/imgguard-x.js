#!/usr/bin/env node
import { main } from '../dist/bundle/cli.js';

process.exit(await main(process.argv));
