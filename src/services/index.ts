import type { Database } from '../store/database.js';
import { AuditService } from './audit-service.js';
import { AuthService } from './auth/auth-service.js';
import { DemoDataService } from './demo-data-service.js';
import { DirectoryService } from './directory-service.js';

/** The use cases, wired to one database. Routes and CLI commands reach data only through these. */
export interface Services {
  database: Database;
  audit: AuditService;
  auth: AuthService;
  directory: DirectoryService;
  demoData: DemoDataService;
}

export function createServices(database: Database): Services {
  const audit = new AuditService(database.db);
  return {
    database,
    audit,
    auth: new AuthService(database.db, audit),
    directory: new DirectoryService(database.db),
    demoData: new DemoDataService(database.db),
  };
}
